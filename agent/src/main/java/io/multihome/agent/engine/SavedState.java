package io.multihome.agent.engine;

import io.multihome.agent.engine.Checkpoint.SavedLink;
import io.multihome.agent.engine.Checkpoint.SavedRoute;
import io.multihome.agent.engine.Checkpoint.SavedRule;
import io.multihome.agent.netlink.Address;
import io.multihome.agent.netlink.BridgeVlan;
import io.multihome.agent.netlink.HwAddr;
import io.multihome.agent.netlink.IpPrefix;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.netlink.LinkSpec;
import io.multihome.agent.netlink.Route;
import io.multihome.agent.netlink.Rule;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/** Kernel objects to and from their checkpoint form (names instead of indexes, text addresses). */
final class SavedState {
  private SavedState() {}

  static SavedLink link(
      NodeLink n, Map<Integer, NodeLink> byIndex, List<Address> addrs, List<BridgeVlan> vlans) {
    var l = n.link();
    var k = l.kind();
    var port = l.bridgePort();
    var addresses = new ArrayList<String>();
    var linkLocal = new ArrayList<String>();
    for (var a : addrs) {
      if (AddressMapping.isLinkLocal(a)) {
        linkLocal.add(a.local().toString());
      } else if (!a.dynamic()) {
        // Dynamic addresses are their client's (DHCP, autoconf): never saved, never restored.
        addresses.add(a.local().toString());
      }
    }
    var mv = k instanceof LinkKind.Macvlan m && m.mode() != null ? m.mode().name() : null;
    var vlan = k instanceof LinkKind.Vlan v ? v : null;
    var vx = k instanceof LinkKind.Vxlan x ? x : null;
    return new SavedLink(
        n.name(),
        l.kindName(),
        k instanceof LinkKind.Veth || vx != null
            ? null
            : StateReader.nameOf(byIndex, l.parentIndex()),
        l.mtu(),
        l.mac() == null ? null : l.mac().toString(),
        l.isUp(),
        StateReader.nameOf(byIndex, l.masterIndex()),
        n.alias(),
        n.ipv6Disabled(),
        addresses,
        linkLocal,
        k instanceof LinkKind.Bridge b ? b : null,
        port == null ? null : port.priority(),
        port == null ? null : port.cost(),
        port == null ? null : port.hairpin(),
        n.portNo(),
        mv,
        vlan == null ? null : vlan.id(),
        vlan == null ? null : vlan.protocol(),
        vx == null ? null : vx.vni(),
        vx == null || vx.local() == null ? null : vx.local().getHostAddress(),
        vx == null || vx.remote() == null ? null : vx.remote().getHostAddress(),
        vx == null ? null : vx.port(),
        vx == null ? null : vx.learning(),
        k instanceof LinkKind.Veth && l.netnsId() == null
            ? StateReader.nameOf(byIndex, l.parentIndex())
            : null,
        port == null || vlans == null ? null : List.copyOf(vlans),
        k instanceof LinkKind.Bond b ? b : null,
        StateReader.nameOf(byIndex, n.bondPrimary()),
        n.promiscuous(),
        new Checkpoint.More(
            k instanceof LinkKind.Vrf v ? v : null,
            k instanceof LinkKind.Ipvlan v ? v : null,
            k instanceof LinkKind.Macsec m ? m : null,
            k instanceof LinkKind.Hsr h ? h : null,
            k instanceof LinkKind.Hsr h ? StateReader.nameOf(byIndex, h.port1()) : null,
            k instanceof LinkKind.Hsr h ? StateReader.nameOf(byIndex, h.port2()) : null,
            n.facts().forwarding(),
            n.facts().bondQueueId(),
            n.facts().bondPrio()));
  }

  /** The parent a saved link needs to exist before it can be created, or null. */
  static String parentOf(SavedLink s) {
    return s.parent();
  }

  /** Whether the saved link sits on others (recreated after the links without a parent). */
  static boolean dependant(SavedLink s) {
    return s.parent() != null || (s.more() != null && s.more().hsr() != null);
  }

  /** How to create the saved link again (down, without master; those are restored later). */
  static LinkSpec spec(SavedLink s, String peerMac, ToIntFunction<String> index) {
    LinkKind kind =
        switch (s.kind()) {
          // VLAN filtering only when it was on: kernels without CONFIG_BRIDGE_VLAN_FILTERING
          // refuse even "off".
          case "bridge" ->
              new LinkKind.Bridge(
                  s.bridge().stpState(),
                  s.bridge().forwardDelay(),
                  s.bridge().helloTime(),
                  s.bridge().maxAge(),
                  s.bridge().priority(),
                  s.bridge().ageingTime(),
                  Boolean.TRUE.equals(s.bridge().vlanFiltering()) ? Boolean.TRUE : null,
                  null,
                  null,
                  s.bridge().multicastSnooping());
          case "veth" ->
              new LinkKind.Veth(s.vethPeer(), peerMac == null ? null : HwAddr.parse(peerMac));
          case "macvlan", "macvtap" ->
              new LinkKind.Macvlan(
                  s.macvlanMode() == null ? null : LinkKind.MacvlanMode.valueOf(s.macvlanMode()),
                  s.kind().equals("macvtap"));
          case "vlan" -> new LinkKind.Vlan(s.vlanId(), s.vlanProtocol());
          case "vxlan" ->
              new LinkKind.Vxlan(
                  s.vxlanId(),
                  addr(s.vxlanLocal()),
                  addr(s.vxlanRemote()),
                  s.vxlanPort(),
                  s.vxlanLearning(),
                  null);
          case "dummy" -> new LinkKind.Dummy();
          case "bond" -> s.bond() == null ? new LinkKind.Other("bond") : s.bond();
          case "vrf", "ipvlan", "macsec", "hsr" -> more(s, index);
          default -> new LinkKind.Other(s.kind());
        };
    var spec = LinkSpec.of(s.name(), kind).withMtu(s.mtu());
    if (s.mac() != null) {
      spec = spec.withMac(HwAddr.parse(s.mac()));
    }
    if (s.parent() != null) {
      spec = spec.withParent(index.applyAsInt(s.parent()));
    }
    return spec;
  }

  private static LinkKind more(SavedLink s, ToIntFunction<String> index) {
    var m = s.more();
    if (m == null) {
      return new LinkKind.Other(s.kind());
    }
    if (m.hsr() != null) {
      return new LinkKind.Hsr(
          index.applyAsInt(m.hsrPort1()),
          index.applyAsInt(m.hsrPort2()),
          m.hsr().multicastSpec(),
          m.hsr().protocol(),
          null);
    }
    if (m.macsec() != null) {
      // Offload off is the default; a kernel without offload support refuses the attribute.
      var x = m.macsec();
      return new LinkKind.Macsec(
          x.port(),
          x.encrypt(),
          x.includeSci(),
          x.validation(),
          x.offload() == null || x.offload() == 0 ? null : x.offload());
    }
    return m.vrf() != null
        ? m.vrf()
        : m.ipvlan() != null ? m.ipvlan() : new LinkKind.Other(s.kind());
  }

  private static InetAddress addr(String text) {
    return text == null ? null : IpPrefix.parseAddress(text);
  }

  static SavedRoute route(Route r, String dev) {
    return new SavedRoute(
        r.family(),
        r.dst() == null ? null : r.dst().toString(),
        r.src() == null ? null : r.src().toString(),
        r.gateway() == null ? null : r.gateway().getHostAddress(),
        dev,
        r.table(),
        r.metric(),
        r.scope(),
        r.type(),
        r.protocol(),
        r.prefSrc() == null ? null : r.prefSrc().getHostAddress(),
        r.mtu(),
        r.metrics(),
        r.weight());
  }

  static Route route(SavedRoute s, Integer oif) {
    return new Route(
        s.family(),
        s.dst() == null ? null : IpPrefix.parse(s.dst()),
        s.src() == null ? null : IpPrefix.parse(s.src()),
        addr(s.gateway()),
        oif,
        s.table(),
        s.metric(),
        s.scope(),
        s.type(),
        s.protocol(),
        addr(s.prefSrc()),
        s.mtu(),
        s.metrics(),
        s.weight());
  }

  static SavedRule rule(Rule r) {
    return new SavedRule(
        r.family(),
        r.priority(),
        r.table(),
        r.action(),
        r.src() == null ? null : r.src().toString(),
        r.dst() == null ? null : r.dst().toString(),
        r.iifName(),
        r.oifName(),
        r.fwmark(),
        r.fwmask(),
        r.gotoPriority(),
        r.protocol());
  }

  static Rule rule(SavedRule s) {
    return new Rule(
        s.family(),
        s.priority(),
        s.table(),
        s.action(),
        s.src() == null ? null : IpPrefix.parse(s.src()),
        s.dst() == null ? null : IpPrefix.parse(s.dst()),
        s.iif(),
        s.oif(),
        s.fwmark(),
        s.fwmask(),
        s.gotoPriority(),
        s.protocol());
  }
}
