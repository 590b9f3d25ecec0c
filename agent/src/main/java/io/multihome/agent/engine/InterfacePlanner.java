package io.multihome.agent.engine;

import io.multihome.agent.netlink.BridgePortOptions;
import io.multihome.agent.netlink.HwAddr;
import io.multihome.agent.netlink.IpPrefix;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.state.BridgeConfig;
import io.multihome.state.Interface;
import io.multihome.state.InterfaceState;
import io.multihome.state.InterfaceType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Plans one listed interface against the node: create, modify (only what the document gives and the
 * node differs in), or remove. Unlisted properties are kept; address and port lists replace.
 */
final class InterfacePlanner {
  static final int MAX_BRIDGE_PORTS = 1023;
  private static final Set<String> VIRTUAL =
      Set.of(
          "bridge", "macvlan", "macvtap", "vxlan", "vlan", "bond", "dummy", "veth", "vrf", "ipvlan",
          "hsr", "macsec", "ipoib");

  private final PlanContext ctx;
  private final IpPlanner ip;
  private final KindPlanner kinds;

  InterfacePlanner(PlanContext ctx) {
    this.ctx = ctx;
    this.ip = new IpPlanner(ctx);
    this.kinds = new KindPlanner(ctx);
  }

  void plan(Interface d, String at) {
    var state = d.common().effectiveState();
    if (state == InterfaceState.IGNORE) {
      return;
    }
    if (d instanceof Interface.Unsupported) {
      ctx.problem(at + ".type", "type " + wire(d.kind()) + " is not supported by the engine");
      return;
    }
    if (OvsHooks.ownsEntry(d, ctx)) {
      return;
    }
    var cur = ctx.current(d.name());
    if (state == InterfaceState.ABSENT) {
      if (cur != null) {
        absent(d, cur, at);
      }
      return;
    }
    if (cur == null) {
      create(d, at, state);
    } else {
      modify(d, cur, at, state);
    }
  }

  private static String wire(InterfaceType t) {
    return t == null ? "(none)" : t.wire();
  }

  /**
   * Absent: virtual links are deleted; a NIC (no kernel kind, or a veth the document calls {@code
   * ethernet}) is unconfigured: addresses removed, released from its controller, set down.
   */
  private void absent(Interface d, NodeLink cur, String at) {
    boolean virtual =
        VIRTUAL.contains(cur.kind())
            && !(cur.kind().equals("veth") && d.kind() == InterfaceType.ETHERNET);
    if (cur.name().equals("lo")) {
      return;
    }
    if (virtual) {
      if (!ctx.deleting(cur)) {
        ctx.add(
            new Op.DeleteLink(
                cur.name(), new Op.Diff("interfaces[" + cur.name() + "]", "absent", "present")));
        if (cur.kind().equals("bond")) {
          ctx.portsOf(cur.index()).forEach(this::keepUpAfterBondRelease);
        }
      }
      return;
    }
    var p = "interfaces[" + cur.name() + "]";
    for (var a : ctx.configuredAddresses(cur)) {
      ctx.add(new Op.DelAddress(cur.name(), a, new Op.Diff(p + ".address", "none", a.toString())));
    }
    if (cur.link().masterIndex() != null) {
      ctx.add(
          new Op.SetMaster(
              cur.name(),
              null,
              new Op.Diff(p + ".controller", "none", ctx.nameOf(cur.link().masterIndex()))));
    }
    if (cur.link().isUp()) {
      ctx.add(new Op.SetUp(cur.name(), false, new Op.Diff(p + ".state", "down", "up")));
    }
  }

  private void create(Interface d, String at, InterfaceState state) {
    if (ctx.createdAsPeer(d.name()) || d instanceof Interface.OvsInterface) {
      // The other end of a veth created in this plan, or an OVS internal port (the OVSDB
      // transaction creates it): configure it like an existing link.
      modifyNew(d, at, state);
      return;
    }
    if (d instanceof Interface.Hsr h) {
      kinds.createHsr(h, at);
      modifyNew(d, at, state);
      return;
    }
    var created = KindMapping.forCreate(d, at, ctx.problems());
    if (created == null) {
      return;
    }
    if (created.parent() != null && !ctx.willExist(created.parent())) {
      ctx.problem(at, "base interface " + created.parent() + " does not exist");
      return;
    }
    var c = d.common();
    HwAddr mac = c.macAddress() == null ? null : HwAddr.parse(c.macAddress());
    var p = "interfaces[" + d.name() + "]";
    boolean bridge = d instanceof Interface.LinuxBridge;
    ctx.add(
        new Op.CreateLink(
            d.name(),
            created.kind(),
            created.parent(),
            bridge ? null : c.mtu(),
            mac,
            new Op.Diff(p, "up", "absent")));
    if (bridge && c.mtu() != null) {
      ctx.add(new Op.SetMtu(d.name(), c.mtu(), true, new Op.Diff(p + ".mtu", "" + c.mtu(), "new")));
    }
    modifyNew(d, at, state);
  }

  /** Settings of a link this plan creates: everything given is applied. */
  private void modifyNew(Interface d, String at, InterfaceState state) {
    var c = d.common();
    var p = "interfaces[" + d.name() + "]";
    if (ctx.createdAsPeer(d.name())) {
      if (c.mtu() != null) {
        ctx.add(
            new Op.SetMtu(d.name(), c.mtu(), false, new Op.Diff(p + ".mtu", "" + c.mtu(), "new")));
      }
      if (c.macAddress() != null) {
        ctx.add(
            new Op.SetMac(
                d.name(),
                HwAddr.parse(c.macAddress()),
                new Op.Diff(p + ".mac-address", "", "new")));
      }
    }
    if (c.description() != null && !c.description().isEmpty()) {
      ctx.add(
          new Op.SetAlias(
              d.name(), c.description(), new Op.Diff(p + ".description", c.description(), "none")));
    }
    promisc(d, null);
    if (d instanceof Interface.LinuxBridge b) {
      ports(b, null, at);
    }
    if (d instanceof Interface.Bond b) {
      bond(b, null, at);
      kinds.bondPortsConfig(b, null);
    }
    if (d instanceof Interface.Vrf v) {
      kinds.vrfPorts(v, null, at);
    }
    kinds.forwarding(d, null);
    controller(d, null, at);
    ip.plan(d, null, at);
    MptcpPlanner.plan(d, null, ctx);
    if (state == InterfaceState.UP) {
      ctx.add(new Op.SetUp(d.name(), true, new Op.Diff(p + ".state", "up", "down")));
    }
  }

  private void modify(Interface d, NodeLink cur, String at, InterfaceState state) {
    var c = d.common();
    var p = "interfaces[" + d.name() + "]";
    var curType = OvsHooks.kernelType(cur, ctx);
    var want = d.kind();
    if (want != null
        && want != curType
        && !(want == InterfaceType.ETHERNET && curType == InterfaceType.VETH)) {
      ctx.problem(
          at + ".type",
          d.name()
              + " exists as "
              + curType.wire()
              + ", not "
              + want.wire()
              + "; remove it first (state: absent)");
      return;
    }
    immutable(d, cur, at);
    var link = cur.link();
    if (c.mtu() != null && c.mtu() != link.mtu()) {
      ctx.add(
          new Op.SetMtu(
              d.name(),
              c.mtu(),
              d instanceof Interface.LinuxBridge,
              new Op.Diff(p + ".mtu", "" + c.mtu(), "" + link.mtu())));
    }
    if (c.macAddress() != null) {
      var mac = HwAddr.parse(c.macAddress());
      if (!mac.equals(link.mac())) {
        ctx.add(
            new Op.SetMac(
                d.name(),
                mac,
                new Op.Diff(p + ".mac-address", mac.toString(), String.valueOf(link.mac()))));
      }
    }
    if (c.description() != null
        && !c.description().equals(cur.alias() == null ? "" : cur.alias())) {
      ctx.add(
          new Op.SetAlias(
              d.name(),
              c.description(),
              new Op.Diff(p + ".description", c.description(), String.valueOf(cur.alias()))));
    }
    promisc(d, cur);
    if (d instanceof Interface.LinuxBridge b) {
      bridgeOptions(b, cur, p);
      ports(b, cur, at);
    }
    if (d instanceof Interface.Bond b) {
      bond(b, cur, at);
      kinds.bondPortsConfig(b, cur);
    }
    if (d instanceof Interface.Vrf v) {
      kinds.vrfPorts(v, cur, at);
    }
    kinds.forwarding(d, cur);
    controller(d, cur, at);
    ip.plan(d, cur, at);
    MptcpPlanner.plan(d, cur, ctx);
    boolean up = state == InterfaceState.UP;
    if (up != link.isUp()) {
      ctx.add(
          new Op.SetUp(
              d.name(), up, new Op.Diff(p + ".state", up ? "up" : "down", up ? "down" : "up")));
    }
  }

  /** {@code accept-all-mac-addresses}: promiscuous mode (a new link starts without it). */
  private void promisc(Interface d, NodeLink cur) {
    var want = d.common().acceptAllMacAddresses();
    boolean have = cur != null && cur.promiscuous();
    if (want != null && want != have) {
      ctx.add(
          new Op.SetPromisc(
              d.name(),
              want,
              new Op.Diff(
                  "interfaces[" + d.name() + "].accept-all-mac-addresses", "" + want, "" + have)));
    }
  }

  /** Kind settings the kernel cannot change on an existing link. */
  private void immutable(Interface d, NodeLink cur, String at) {
    kinds.immutable(d, cur, at);
    var k = cur.link().kind();
    if (d instanceof Interface.MacVlan m
        && m.macVlan() != null
        && k instanceof LinkKind.Macvlan km) {
      same(
          at + ".mac-vlan.mode",
          m.macVlan().mode() == null ? null : KindMapping.mode(m.macVlan().mode()),
          km.mode());
      same(
          at + ".mac-vlan.base-iface",
          m.macVlan().baseIface(),
          ctx.nameOf(cur.link().parentIndex()));
      same(at + ".mac-vlan.promiscuous", m.macVlan().promiscuous(), promiscuous(km));
    } else if (d instanceof Interface.MacVtap m
        && m.macVtap() != null
        && k instanceof LinkKind.Macvlan km) {
      same(
          at + ".mac-vtap.mode",
          m.macVtap().mode() == null ? null : KindMapping.mode(m.macVtap().mode()),
          km.mode());
      same(
          at + ".mac-vtap.base-iface",
          m.macVtap().baseIface(),
          ctx.nameOf(cur.link().parentIndex()));
      same(at + ".mac-vtap.promiscuous", m.macVtap().promiscuous(), promiscuous(km));
    } else if (d instanceof Interface.Vxlan x
        && x.vxlan() != null
        && k instanceof LinkKind.Vxlan kx) {
      var c = x.vxlan();
      same(at + ".vxlan.id", c.id(), kx.vni());
      same(at + ".vxlan.base-iface", c.baseIface(), ctx.nameOf(kx.underlayIndex()));
      same(
          at + ".vxlan.remote",
          c.remote() == null ? null : IpPrefix.parseAddress(c.remote()),
          kx.remote());
      same(
          at + ".vxlan.local",
          c.local() == null ? null : IpPrefix.parseAddress(c.local()),
          kx.local());
      same(at + ".vxlan.destination-port", c.destinationPort(), kx.port());
      same(at + ".vxlan.learning", c.learning(), kx.learning());
    } else if (d instanceof Interface.Vlan v && v.vlan() != null && k instanceof LinkKind.Vlan kv) {
      same(at + ".vlan.id", v.vlan().id(), kv.id());
      same(at + ".vlan.base-iface", v.vlan().baseIface(), ctx.nameOf(cur.link().parentIndex()));
    } else if (d instanceof Interface.Veth v && v.veth() != null && v.veth().peer() != null) {
      var peer = cur.link().netnsId() == null ? ctx.nameOf(cur.link().parentIndex()) : null;
      same(at + ".veth.peer", v.veth().peer(), peer);
    }
  }

  static boolean promiscuous(LinkKind.Macvlan m) {
    return m.flags() == null || (m.flags() & LinkKind.Macvlan.FLAG_NOPROMISC) == 0;
  }

  private void same(String path, Object desired, Object current) {
    if (desired != null && !Objects.equals(desired, current)) {
      ctx.problem(
          path,
          "cannot change from "
              + current
              + " to "
              + desired
              + " on an existing interface; remove it first (state: absent)");
    }
  }

  private void bridgeOptions(Interface.LinuxBridge b, NodeLink cur, String p) {
    var want = KindMapping.bridge(b.bridge());
    var have = (LinkKind.Bridge) cur.link().kind();
    var diffs = new ArrayList<String>();
    var change =
        new LinkKind.Bridge(
            differ(want.stpState(), have.stpState(), p + ".bridge.options.stp.enabled", diffs),
            differ(
                want.forwardDelay(),
                have.forwardDelay(),
                p + ".bridge.options.stp.forward-delay",
                diffs),
            differ(want.helloTime(), have.helloTime(), p + ".bridge.options.stp.hello-time", diffs),
            differ(want.maxAge(), have.maxAge(), p + ".bridge.options.stp.max-age", diffs),
            differ(want.priority(), have.priority(), p + ".bridge.options.stp.priority", diffs),
            differ(
                want.ageingTime(), have.ageingTime(), p + ".bridge.options.mac-ageing-time", diffs),
            differ(
                want.vlanFiltering(),
                have.vlanFiltering(),
                p + ".bridge.options.vlan-filtering (a port has vlan)",
                diffs),
            differ(
                want.vlanProtocol(),
                have.vlanProtocol(),
                p + ".bridge.options.vlan-protocol",
                diffs),
            differ(
                want.defaultPvid(),
                have.defaultPvid(),
                p + ".bridge.options.vlan-default-pvid",
                diffs),
            differ(
                want.multicastSnooping(),
                have.multicastSnooping(),
                p + ".bridge.options.multicast-snooping",
                diffs),
            differ(
                want.groupFwdMask(),
                have.groupFwdMask(),
                p + ".bridge.options.group-fwd-mask",
                diffs),
            differ(want.groupAddr(), have.groupAddr(), p + ".bridge.options.group-addr", diffs),
            multicastChanges(want, have, p, diffs));
    if (!diffs.isEmpty()) {
      ctx.add(
          new Op.SetBridgeOptions(
              b.name(), change, new Op.Diff(String.join(", ", diffs), "set", "different")));
    }
  }

  /** The multicast tuning attributes given that differ from the bridge's. */
  private static java.util.Map<Integer, Long> multicastChanges(
      LinkKind.Bridge want, LinkKind.Bridge have, String p, List<String> diffs) {
    var out = new java.util.TreeMap<Integer, Long>();
    want.multicast()
        .forEach(
            (attr, v) -> {
              if (!v.equals(have.multicast().get(attr))) {
                out.put(attr, v);
              }
            });
    if (!out.isEmpty()) {
      var names = new java.util.ArrayList<String>();
      BridgeMulticastMapping.ATTRS.forEach(
          (name, attr) -> {
            if (out.containsKey(attr)) {
              names.add(p + ".bridge.options." + name);
            }
          });
      java.util.Collections.sort(names);
      diffs.addAll(names);
    }
    return out;
  }

  private static <T> T differ(T want, T have, String path, List<String> diffs) {
    if (want != null && !want.equals(have)) {
      diffs.add(path);
      return want;
    }
    return null;
  }

  /** The port list replaces the bridge's ports; port options are merged. */
  private void ports(Interface.LinuxBridge b, NodeLink cur, String at) {
    if (b.bridge() == null || b.bridge().port() == null) {
      return;
    }
    var list = b.bridge().port();
    if (list.size() > MAX_BRIDGE_PORTS) {
      ctx.problem(
          at + ".bridge.port",
          list.size() + " ports; a Linux bridge takes at most " + MAX_BRIDGE_PORTS);
      return;
    }
    var p = "interfaces[" + b.name() + "]";
    var wanted = new HashSet<String>();
    for (int j = 0; j < list.size(); j++) {
      var port = list.get(j);
      wanted.add(port.name());
      var pat = at + ".bridge.port[" + j + "]";
      if (!ctx.willExist(port.name())) {
        ctx.problem(pat + ".name", "interface " + port.name() + " does not exist");
        continue;
      }
      var pl = ctx.current(port.name());
      boolean enslaved =
          cur != null && pl != null && Objects.equals(pl.link().masterIndex(), cur.index());
      if (port.vlan() != null) {
        var want = PortVlans.desired(port.vlan(), pat + ".vlan", ctx.problems());
        if (want == null) {
          continue;
        }
        List<io.multihome.agent.netlink.BridgeVlan> have;
        if (enslaved) {
          have = ctx.snapshot().vlans().getOrDefault(pl.index(), List.of());
        } else {
          // A port joining a bridge gets the bridge's default PVID (1 unless set) untagged.
          Integer pvid = cur == null ? null : ((LinkKind.Bridge) cur.link().kind()).defaultPvid();
          int def = pvid == null ? 1 : pvid;
          have =
              def == 0
                  ? List.of()
                  : List.of(io.multihome.agent.netlink.BridgeVlan.of(def).asPvid().asUntagged());
        }
        PortVlans.plan(port.name(), want, have, p + ".bridge.port[" + port.name() + "].vlan")
            .forEach(ctx::add);
      }
      if (!enslaved) {
        ctx.add(
            new Op.SetMaster(
                port.name(),
                b.name(),
                new Op.Diff(p + ".bridge.port", "includes " + port.name(), "lacks it")));
        ip.clearPortAddresses(pl);
      }
      portOptions(port, enslaved ? pl.link().bridgePort() : null, p);
    }
    if (cur != null) {
      for (var l : ctx.portsOf(cur.index())) {
        if (!wanted.contains(l.name())) {
          ctx.add(
              new Op.SetMaster(
                  l.name(),
                  null,
                  new Op.Diff(p + ".bridge.port", "lacks " + l.name(), "includes it")));
        }
      }
    }
  }

  private void portOptions(BridgeConfig.Port port, BridgePortOptions have, String p) {
    var diffs = new ArrayList<String>();
    var pp = p + ".bridge.port[" + port.name() + "]";
    var change =
        new BridgePortOptions(
            null,
            differ(
                port.stpPriority(),
                have == null ? null : have.priority(),
                pp + ".stp-priority",
                diffs),
            differ(
                port.stpPathCost(),
                have == null ? null : have.cost(),
                pp + ".stp-path-cost",
                diffs),
            differ(
                port.stpHairpinMode(),
                have == null ? null : have.hairpin(),
                pp + ".stp-hairpin-mode",
                diffs),
            null,
            null,
            null,
            null,
            null);
    if (!diffs.isEmpty()) {
      ctx.add(
          new Op.SetBridgePort(
              port.name(), change, new Op.Diff(String.join(", ", diffs), "set", "different")));
    }
  }

  /**
   * Bond options (merged: only those given are compared) and the port list (replaced: ports not
   * listed are released). The mode cannot change on an existing bond.
   */
  private void bond(Interface.Bond b, NodeLink cur, String at) {
    var la = b.linkAggregation();
    if (la == null) {
      return;
    }
    var want = KindMapping.bond(la, at, ctx.problems());
    if (want == null) {
      return;
    }
    var p = "interfaces[" + b.name() + "]";
    var pa = p + ".link-aggregation";
    LinkKind.Bond change = null;
    var diffs = new ArrayList<String>();
    if (cur != null && cur.link().kind() instanceof LinkKind.Bond have) {
      same(at + ".link-aggregation.mode", want.kind().mode(), have.mode());
      var k = want.kind();
      change =
          new LinkKind.Bond(
              null,
              differ(k.miimon(), have.miimon(), pa + ".options.miimon", diffs),
              differ(k.updelay(), have.updelay(), pa + ".options.updelay", diffs),
              differ(k.downdelay(), have.downdelay(), pa + ".options.downdelay", diffs),
              differ(
                  k.xmitHashPolicy(),
                  have.xmitHashPolicy(),
                  pa + ".options.xmit_hash_policy",
                  diffs),
              differ(k.minLinks(), have.minLinks(), pa + ".options.min_links", diffs),
              differ(k.lacpRate(), have.lacpRate(), pa + ".options.lacp_rate", diffs),
              BondMapping.changes(k, have, pa, diffs));
    }
    var portList = la.ports();
    if (portList != null) {
      var wanted = new HashSet<String>();
      for (int j = 0; j < portList.size(); j++) {
        var name = portList.get(j);
        wanted.add(name);
        if (!ctx.willExist(name)) {
          ctx.problem(
              at + ".link-aggregation.port[" + j + "]", "interface " + name + " does not exist");
          continue;
        }
        var pl = ctx.current(name);
        boolean enslaved =
            cur != null && pl != null && Objects.equals(pl.link().masterIndex(), cur.index());
        if (!enslaved) {
          if (pl != null && pl.link().isUp()) {
            ctx.add(new Op.DownForBond(name, new Op.Diff(pa + ".port", "includes " + name, "up")));
          }
          ctx.add(
              new Op.SetMaster(
                  name, b.name(), new Op.Diff(pa + ".port", "includes " + name, "lacks it")));
          ip.clearPortAddresses(pl);
        }
      }
      if (cur != null) {
        for (var l : ctx.portsOf(cur.index())) {
          if (!wanted.contains(l.name())) {
            ctx.add(
                new Op.SetMaster(
                    l.name(), null, new Op.Diff(pa + ".port", "lacks " + l.name(), "includes it")));
            keepUpAfterBondRelease(l);
          }
        }
      }
      if (want.primary() != null && !wanted.contains(want.primary())) {
        ctx.problem(
            at + ".link-aggregation.options.primary",
            want.primary() + " is not a port of " + b.name());
        return;
      }
    }
    String primary = null;
    if (want.primary() != null) {
      var havePrimary = cur == null ? null : ctx.nameOf(cur.bondPrimary());
      if (!want.primary().equals(havePrimary)) {
        primary = want.primary();
        diffs.add(pa + ".options.primary");
      }
    }
    if (!diffs.isEmpty()) {
      ctx.add(
          new Op.SetBondOptions(
              b.name(),
              change == null ? LinkKind.Bond.of(null) : change,
              primary,
              new Op.Diff(String.join(", ", diffs), "set", "different")));
    }
  }

  /**
   * Bonding closes a port it releases (also when the bond is deleted); a port that is up stays up,
   * as the interfaces a document does not list keep their state. Unless the document sets it.
   */
  private void keepUpAfterBondRelease(NodeLink port) {
    if (port.link().isUp() && !ctx.listed(port.name())) {
      ctx.add(
          new Op.SetUp(
              port.name(),
              true,
              new Op.Diff("interfaces[" + port.name() + "].state", "up", "down (bond release)")));
    }
  }

  private void controller(Interface d, NodeLink cur, String at) {
    var want = d.common().controller();
    if (want == null || ctx.enslavedByPlan(d.name()) || OvsHooks.isOvsBridge(want, ctx)) {
      return;
    }
    String have = cur == null ? null : ctx.nameOf(cur.link().masterIndex());
    var p = "interfaces[" + d.name() + "].controller";
    if (want.isEmpty()) {
      if (have != null) {
        ctx.add(new Op.SetMaster(d.name(), null, new Op.Diff(p, "none", have)));
      }
    } else if (!want.equals(have)) {
      if (!ctx.willExist(want)) {
        ctx.problem(at + ".controller", "interface " + want + " does not exist");
        return;
      }
      ctx.add(new Op.SetMaster(d.name(), want, new Op.Diff(p, want, String.valueOf(have))));
    }
  }
}
