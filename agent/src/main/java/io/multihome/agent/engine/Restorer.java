package io.multihome.agent.engine;

import io.multihome.agent.engine.Checkpoint.SavedLink;
import io.multihome.agent.netlink.AddressOps;
import io.multihome.agent.netlink.BridgePortOptions;
import io.multihome.agent.netlink.Errno;
import io.multihome.agent.netlink.HwAddr;
import io.multihome.agent.netlink.IpPrefix;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.netlink.LinkOps;
import io.multihome.agent.netlink.NetlinkException;
import io.multihome.agent.netlink.Request;
import io.multihome.agent.netlink.RouteOps;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.agent.netlink.Rtnl;
import io.multihome.agent.netlink.RuleOps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Puts a namespace back to a checkpoint by difference, so it works whatever part of the plan ran:
 * links the plan created are deleted, deleted ones recreated, then every saved link's settings,
 * controller, admin state, addresses (in their original order), and finally routes and rules are
 * made equal to the saved ones and the resolver file put back. Returns what could not be restored
 * (empty on success).
 */
final class Restorer {
  /** Not in the library's Errno yet: the address to delete is already gone. */
  private static final int EADDRNOTAVAIL = 99;

  private final RtNetlink nl;
  private final Target target;
  private final List<String> failures = new ArrayList<>();

  Restorer(RtNetlink nl, Target target) {
    this.nl = nl;
    this.target = target;
  }

  List<String> restore(Checkpoint cp) {
    // OVSDB first: it brings back the internal ports' devices the kernel part then configures.
    failures.addAll(OvsCheckpoint.restore(cp.ovs()));
    var saved = cp.linksByName();
    var now = Snapshot.read(nl);
    var names = now.byName();
    var deletes = new ArrayList<Request>();
    for (int i = cp.created().size() - 1; i >= 0; i--) {
      var name = cp.created().get(i);
      if (names.containsKey(name)) {
        deletes.add(LinkOps.deleteRequest(name));
      }
    }
    run(deletes, Errno.ENODEV);
    now = Snapshot.read(nl);
    recreate(saved, now);
    now = Snapshot.read(nl);
    settings(saved, now);
    now = Snapshot.read(nl);
    macs(saved, now);
    addresses(saved, Snapshot.read(nl));
    routes(cp, Snapshot.read(nl));
    rules(cp, Snapshot.read(nl));
    failures.addAll(SriovCheckpoint.restore(nl, cp.sriov()));
    failures.addAll(MptcpPlanner.restore(target, nl, cp.mptcp()));
    if (cp.extras() != null) {
      failures.addAll(cp.extras().restore(nl));
    }
    if (cp.dns() != null) {
      var dns = ResolvConfFile.restore(cp.dns());
      if (dns != null) {
        failures.add("dns-resolver: " + dns);
      }
    }
    return leftovers(cp, Snapshot.read(nl));
  }

  private void recreate(Map<String, SavedLink> saved, Snapshot now) {
    var names = now.byName();
    var done = new HashSet<String>();
    // Bases first (bridges, veths, anything without a parent), then links on a parent.
    for (int pass = 0; pass < 2; pass++) {
      var index = new HashMap<String, Integer>();
      Snapshot.read(nl).links().forEach(l -> index.put(l.name(), l.index()));
      for (var s : saved.values()) {
        if (names.containsKey(s.name()) || done.contains(s.name())) {
          continue;
        }
        boolean dependant = SavedState.dependant(s);
        if (dependant != (pass == 1)) {
          continue;
        }
        var peer = s.vethPeer() == null ? null : saved.get(s.vethPeer());
        try {
          nl.execute(
              LinkOps.addRequest(SavedState.spec(s, peer == null ? null : peer.mac(), index::get)));
          done.add(s.name());
          if (s.vethPeer() != null) {
            done.add(s.vethPeer());
          }
        } catch (RuntimeException e) {
          failures.add("recreate " + s.name() + ": " + e.getMessage());
        }
      }
    }
  }

  private void settings(Map<String, SavedLink> saved, Snapshot now) {
    var names = now.byName();
    var first = new ArrayList<Request>();
    var release = new ArrayList<Request>();
    var masters = new ArrayList<Request>();
    var ports = new ArrayList<Request>();
    var admin = new ArrayList<Request>();
    var bondPorts = new ArrayList<Request>();
    var ipv6 = new LinkedHashMap<String, Boolean>();
    // Ports get the lowest free port number when enslaved: re-enslave in the old numbers' order.
    var ordered = new ArrayList<>(saved.values());
    ordered.sort(
        java.util.Comparator.comparing(
            (SavedLink s) -> s.portNo() == null ? Integer.MAX_VALUE : s.portNo()));
    for (var s : ordered) {
      var cur = names.get(s.name());
      if (cur == null) {
        continue;
      }
      var l = cur.link();
      if (!Objects.equals(s.alias(), cur.alias())) {
        first.add(LinkDump.setAliasRequest(s.name(), s.alias()));
      }
      if (s.mtu() != l.mtu()) {
        first.add(LinkRequests.mtu(s.name(), s.mtu()));
      }
      if (s.bridge() != null
          && l.kind() instanceof LinkKind.Bridge have
          && !s.bridge().equals(have)) {
        first.add(LinkRequests.bridgeOptions(s.name(), bridgeRevert(s.bridge(), have)));
      }
      if (s.bond() != null && l.kind() instanceof LinkKind.Bond have) {
        var revert = bondRevert(s.bond(), have);
        if (revert != null) {
          first.add(LinkRequests.bondOptions(s.name(), revert, null));
        }
      }
      if (s.ipv6Disabled() != cur.ipv6Disabled()) {
        ipv6.put(s.name(), s.ipv6Disabled());
      }
      var more = s.more();
      if (more != null
          && more.forwarding() != null
          && !more.forwarding().equals(cur.facts().forwarding())) {
        first.add(LinkDump.forwardingRequest(s.name(), more.forwarding()));
      }
      if (more != null && s.master() != null) {
        // A port (re-)enslaved starts with queue id and priority 0; only what differs from the
        // port's values then is sent: balance-xor and other modes without port priorities
        // refuse even a priority of 0 (EACCES).
        boolean same = Objects.equals(s.master(), now.nameOf(l.masterIndex()));
        var queueId = differing(more.bondQueueId(), same ? cur.facts().bondQueueId() : null);
        var prio = differing(more.bondPrio(), same ? cur.facts().bondPrio() : null);
        if (queueId != null || prio != null) {
          bondPorts.add(LinkDump.bondPortRequest(s.name(), queueId, prio));
        }
      }
      var master = now.nameOf(l.masterIndex());
      if (!Objects.equals(s.master(), master) || portNumberDiffers(s, cur)) {
        if (master != null && s.master() != null) {
          // Same bridge, other port number: release first so re-enslaving renumbers it.
          release.add(LinkOps.setMasterRequest(s.name(), 0));
        }
        var m = s.master() == null ? null : names.get(s.master());
        if (m != null && "bond".equals(m.kind()) && l.isUp()) {
          // The kernel refuses to enslave an up link to a bond (it brings it up itself).
          release.add(LinkOps.setUpRequest(s.name(), false));
        }
        masters.add(LinkOps.setMasterRequest(s.name(), m == null ? 0 : m.index()));
      }
      if (s.master() != null && (s.portCost() != null || s.portPriority() != null)) {
        ports.add(
            LinkOps.bridgePortRequest(
                s.name(),
                new BridgePortOptions(
                    null,
                    s.portPriority(),
                    s.portCost(),
                    s.portHairpin(),
                    null,
                    null,
                    null,
                    null,
                    null)));
      }
      if (s.up() != l.isUp()) {
        admin.add(LinkOps.setUpRequest(s.name(), s.up()));
      }
      if (s.promisc() != null && s.promisc() != cur.promiscuous()) {
        admin.add(LinkRequests.promisc(s.name(), s.promisc()));
      }
    }
    run(first, 0);
    try {
      target.writeDisableIpv6(ipv6);
    } catch (RuntimeException e) {
      failures.add("restore disable_ipv6: " + e.getMessage());
    }
    run(release, 0);
    run(masters, 0);
    run(ports, 0);
    run(bondPorts, 0);
    portVlans(saved, Snapshot.read(nl));
    bondPrimaries(saved, Snapshot.read(nl));
    run(admin, 0);
  }

  /**
   * Bridge options that differ, VLAN filtering only when it changes (kernels without
   * CONFIG_BRIDGE_VLAN_FILTERING refuse the attribute even as "off").
   */
  private static LinkKind.Bridge bridgeRevert(LinkKind.Bridge saved, LinkKind.Bridge have) {
    return new LinkKind.Bridge(
        saved.stpState(),
        saved.forwardDelay(),
        saved.helloTime(),
        saved.maxAge(),
        saved.priority(),
        saved.ageingTime(),
        saved.vlanFiltering() == null || saved.vlanFiltering().equals(have.vlanFiltering())
            ? null
            : saved.vlanFiltering(),
        Objects.equals(saved.vlanProtocol(), have.vlanProtocol()) ? null : saved.vlanProtocol(),
        Objects.equals(saved.defaultPvid(), have.defaultPvid()) ? null : saved.defaultPvid(),
        saved.multicastSnooping(),
        Objects.equals(saved.groupFwdMask(), have.groupFwdMask()) ? null : saved.groupFwdMask(),
        Objects.equals(saved.groupAddr(), have.groupAddr()) ? null : saved.groupAddr(),
        multicastRevert(saved, have));
  }

  private static java.util.Map<Integer, Long> multicastRevert(
      LinkKind.Bridge saved, LinkKind.Bridge have) {
    var out = new java.util.TreeMap<Integer, Long>();
    saved
        .multicast()
        .forEach(
            (attr, v) -> {
              if (!v.equals(have.multicast().get(attr))) {
                out.put(attr, v);
              }
            });
    return out;
  }

  /** The bond options that differ from the saved ones, or null (the mode cannot change). */
  private static LinkKind.Bond bondRevert(LinkKind.Bond saved, LinkKind.Bond have) {
    var diffs = new ArrayList<String>();
    var revert =
        new LinkKind.Bond(
            null,
            differ(saved.miimon(), have.miimon(), diffs),
            differ(saved.updelay(), have.updelay(), diffs),
            differ(saved.downdelay(), have.downdelay(), diffs),
            differ(saved.xmitHashPolicy(), have.xmitHashPolicy(), diffs),
            differ(saved.minLinks(), have.minLinks(), diffs),
            differ(saved.lacpRate(), have.lacpRate(), diffs),
            BondMapping.changes(saved, have, "", diffs));
    return diffs.isEmpty() ? null : revert;
  }

  private static Integer differ(Integer saved, Integer have, List<String> diffs) {
    if (saved != null && !saved.equals(have)) {
      diffs.add("x");
      return saved;
    }
    return null;
  }

  /** A port's VLAN list made equal to the saved one (deletes first, then adds). */
  private void portVlans(Map<String, SavedLink> saved, Snapshot now) {
    var requests = new ArrayList<Request>();
    for (var cur : now.links()) {
      var s = saved.get(cur.name());
      if (s == null || s.portVlans() == null || s.master() == null) {
        continue;
      }
      var have = now.vlans().getOrDefault(cur.index(), List.of());
      var ops = PortVlans.plan(cur.name(), PortVlans.expand(s.portVlans()), have, "");
      for (var op : ops) {
        requests.add(op.request(n -> cur.index()));
      }
    }
    run(requests, 0);
  }

  /** The primary port of a bond, once its ports are back. */
  private void bondPrimaries(Map<String, SavedLink> saved, Snapshot now) {
    var requests = new ArrayList<Request>();
    var names = now.byName();
    for (var cur : now.links()) {
      var s = saved.get(cur.name());
      if (s == null || s.bondPrimary() == null) {
        continue;
      }
      var p = names.get(s.bondPrimary());
      if (p != null && !Objects.equals(cur.bondPrimary(), p.index())) {
        requests.add(LinkRequests.bondOptions(s.name(), LinkKind.Bond.of(null), p.index()));
      }
    }
    run(requests, 0);
  }

  private static boolean portNumberDiffers(SavedLink s, NodeLink cur) {
    return s.portNo() != null && cur.portNo() != null && !s.portNo().equals(cur.portNo());
  }

  /** After ports are back a bridge may have recomputed its MAC; only set what still differs. */
  private void macs(Map<String, SavedLink> saved, Snapshot now) {
    var requests = new ArrayList<Request>();
    for (var cur : now.links()) {
      var s = saved.get(cur.name());
      if (s != null && s.mac() != null && !HwAddr.parse(s.mac()).equals(cur.link().mac())) {
        requests.add(LinkRequests.mac(s.name(), HwAddr.parse(s.mac())));
      }
    }
    run(requests, 0);
  }

  private void addresses(Map<String, SavedLink> saved, Snapshot now) {
    var byIndex = now.addressesByIndex();
    var dels = new ArrayList<Request>();
    var adds = new ArrayList<Request>();
    var linkLocalAdds = new ArrayList<Request>();
    for (var cur : now.links()) {
      var s = saved.get(cur.name());
      if (s == null) {
        continue;
      }
      var have = new ArrayList<String>();
      for (var a : byIndex.getOrDefault(cur.index(), List.of())) {
        if (!AddressMapping.isAutomatic(a)) {
          have.add(a.local().toString());
        }
      }
      linkLocal(cur, s, byIndex.getOrDefault(cur.index(), List.of()), dels, linkLocalAdds);
      if (have.equals(s.addresses())) {
        continue;
      }
      for (var a : have) {
        dels.add(LinkRequests.deleteAddress(cur.index(), IpPrefix.parse(a)));
      }
      // IPv4 lists addresses in the order added; IPv6 lists the newest of a scope first.
      var v4 = new ArrayList<String>();
      var v6 = new ArrayList<String>();
      for (var a : s.addresses()) {
        (a.contains(":") ? v6 : v4).add(a);
      }
      java.util.Collections.reverse(v6);
      for (var a : v4) {
        adds.add(AddressOps.addRequest(cur.index(), IpPrefix.parse(a), false));
      }
      for (var a : v6) {
        adds.add(AddressOps.addRequest(cur.index(), IpPrefix.parse(a), false));
      }
    }
    // Deleting a primary IPv4 address removes its secondaries: later deletes may find nothing.
    run(dels, EADDRNOTAVAIL);
    run(adds, 0);
    // The kernel may have made the link-local address itself since the read (link up): fine.
    run(linkLocalAdds, Errno.EEXIST);
  }

  /**
   * A recreated link derives its IPv6 link-local address from its MAC at creation; the old one may
   * have come from an earlier MAC (a bridge takes its first port's). Put the old one back.
   */
  private static void linkLocal(
      NodeLink cur,
      SavedLink s,
      List<io.multihome.agent.netlink.Address> addrs,
      List<Request> dels,
      List<Request> adds) {
    if (s.linkLocal() == null || s.ipv6Disabled() || !s.up()) {
      return;
    }
    var have = new ArrayList<String>();
    for (var a : addrs) {
      if (AddressMapping.isLinkLocal(a)) {
        have.add(a.local().toString());
      }
    }
    if (have.equals(s.linkLocal())) {
      return;
    }
    for (var a : have) {
      if (!s.linkLocal().contains(a)) {
        dels.add(LinkRequests.deleteAddress(cur.index(), IpPrefix.parse(a)));
      }
    }
    var missing = new ArrayList<String>();
    for (var a : s.linkLocal()) {
      if (!have.contains(a)) {
        missing.add(a);
      }
    }
    java.util.Collections.reverse(missing);
    for (var a : missing) {
      adds.add(AddressOps.addRequest(cur.index(), IpPrefix.parse(a), false));
    }
  }

  private void routes(Checkpoint cp, Snapshot now) {
    var byIndex = now.byIndex();
    var byName = now.byName();
    var current = new HashMap<Checkpoint.SavedRoute, io.multihome.agent.netlink.Route>();
    for (var r : now.routes()) {
      if (configurable(r.protocol(), r.table())) {
        current.put(SavedState.route(r, StateReader.nameOf(byIndex, r.oif())), r);
      }
    }
    var dels = new ArrayList<Request>();
    var adds = new ArrayList<Request>();
    var wanted = new HashSet<Checkpoint.SavedRoute>();
    // IPv4 multipath routes (next hops with a weight) come back whole, one request per route.
    var multipath = new LinkedHashMap<String, List<Checkpoint.SavedRoute>>();
    var brokenGroups = new HashSet<String>();
    for (var s : cp.routes()) {
      if (!configurable(s.protocol(), s.table())) {
        continue;
      }
      wanted.add(s);
      if (s.weight() != null) {
        multipath.computeIfAbsent(group(s), k -> new ArrayList<>()).add(s);
        if (!current.containsKey(s)) {
          brokenGroups.add(group(s));
        }
        continue;
      }
      if (!current.containsKey(s)) {
        var dev = s.dev() == null ? null : byName.get(s.dev());
        if (s.dev() != null && dev == null) {
          failures.add("route " + s.dst() + " dev " + s.dev() + ": interface missing");
          continue;
        }
        adds.add(RouteOps.appendRequest(SavedState.route(s, dev == null ? null : dev.index())));
      }
    }
    var groupDeletes = new HashSet<String>();
    current.forEach(
        (s, r) -> {
          if (wanted.contains(s)) {
            return;
          }
          if (s.weight() != null) {
            // A next hop of a multipath route: the route is replaced (or removed) whole.
            if (!multipath.containsKey(group(s))) {
              if (groupDeletes.add(group(s))) {
                dels.add(RouteOps.deleteRequest(r.via(null).dev(0).weight(null)));
              }
            } else {
              brokenGroups.add(group(s));
            }
            return;
          }
          dels.add(RouteOps.deleteRequest(r));
        });
    for (var g : brokenGroups) {
      var hops = new ArrayList<io.multihome.agent.netlink.Route>();
      for (var s : multipath.get(g)) {
        var dev = s.dev() == null ? null : byName.get(s.dev());
        hops.add(SavedState.route(s, dev == null ? null : dev.index()));
      }
      adds.add(RouteOps.multipathRequest(hops.get(0), hops, true));
    }
    run(dels, Errno.ESRCH);
    run(adds, 0);
  }

  private static String group(Checkpoint.SavedRoute s) {
    return s.family() + " " + s.dst() + " " + s.table() + " " + s.metric();
  }

  /**
   * Routes the kernel makes (proto kernel, the local table) come back with their addresses; those
   * of a DHCP client or of router advertisements (proto dhcp, ra) are their client's.
   */
  private static boolean configurable(int protocol, int table) {
    return protocol != Rtnl.Rta.PROT_KERNEL
        && !RouteMapping.dynamic(protocol)
        && table != Rtnl.Rta.TABLE_LOCAL;
  }

  private void rules(Checkpoint cp, Snapshot now) {
    var current = new LinkedHashMap<Checkpoint.SavedRule, io.multihome.agent.netlink.Rule>();
    now.rules().forEach(r -> current.put(SavedState.rule(r), r));
    var wanted = new HashSet<>(cp.rules());
    var dels = new ArrayList<Request>();
    var adds = new ArrayList<Request>();
    current.forEach(
        (s, r) -> {
          if (!wanted.contains(s)) {
            dels.add(RuleOps.deleteRequest(r));
          }
        });
    for (var s : cp.rules()) {
      if (!current.containsKey(s)) {
        adds.add(RuleOps.addRequest(SavedState.rule(s)));
      }
    }
    run(dels, Errno.ENOENT);
    run(adds, 0);
  }

  private void run(List<Request> requests, int tolerated) {
    if (requests.isEmpty()) {
      return;
    }
    for (NetlinkException e : nl.executeAll(requests)) {
      if (tolerated == 0 || e.errno() != tolerated) {
        failures.add(e.getMessage());
      }
    }
  }

  /** What still differs from the checkpoint: links, their settings and addresses. */
  private List<String> leftovers(Checkpoint cp, Snapshot now) {
    var out = new ArrayList<String>(failures);
    var names = now.byName();
    var addrs = now.addressesByIndex();
    for (var name : cp.created()) {
      if (names.containsKey(name)) {
        out.add("interfaces[" + name + "]: created by the plan, still present");
      }
    }
    var byIndex = now.byIndex();
    for (var s : cp.links()) {
      var cur = names.get(s.name());
      if (cur == null) {
        out.add("interfaces[" + s.name() + "]: existed before, now missing");
        continue;
      }
      var again =
          SavedState.link(
              cur,
              byIndex,
              addrs.getOrDefault(cur.index(), List.of()),
              now.vlans().get(cur.index()));
      if (!sameIgnoringKindReport(s, again)) {
        out.add("interfaces[" + s.name() + "]: before " + s + ", now " + again);
      }
    }
    return out;
  }

  private static boolean sameIgnoringKindReport(SavedLink a, SavedLink b) {
    return a.mtu() == b.mtu()
        && a.up() == b.up()
        && Objects.equals(a.master(), b.master())
        && Objects.equals(a.alias(), b.alias())
        && a.ipv6Disabled() == b.ipv6Disabled()
        && Objects.equals(a.addresses(), b.addresses())
        && Objects.equals(a.kind(), b.kind())
        && (a.bridge() == null || sameBridge(a.bridge(), b.bridge()))
        && (a.portVlans() == null
            || a.master() == null
            || Objects.equals(
                PortVlans.expand(a.portVlans()),
                PortVlans.expand(b.portVlans() == null ? List.of() : b.portVlans())));
  }

  private static boolean sameBridge(LinkKind.Bridge a, LinkKind.Bridge b) {
    return b != null
        && Objects.equals(a.stpState(), b.stpState())
        && Objects.equals(a.forwardDelay(), b.forwardDelay())
        && Objects.equals(a.priority(), b.priority())
        && (a.vlanFiltering() == null || a.vlanFiltering().equals(b.vlanFiltering()));
  }

  /** {@code saved} when it differs from {@code now} (null: the kernel's 0), else null. */
  private static Integer differing(Integer saved, Integer now) {
    return saved == null || saved.equals(now == null ? 0 : now) ? null : saved;
  }
}
