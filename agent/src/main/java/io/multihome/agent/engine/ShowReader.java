package io.multihome.agent.engine;

import io.multihome.agent.netlink.Address;
import io.multihome.agent.netlink.Rtnl;
import io.multihome.state.Common;
import io.multihome.state.DesiredState;
import io.multihome.state.DnsConfig;
import io.multihome.state.Extras;
import io.multihome.state.Interface;
import io.multihome.state.IpConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/** What {@code multihome show} prints: the current state plus what only a query reports. */
final class ShowReader {
  private ShowReader() {}

  /**
   * What {@code show} prints: {@link StateReader#read} plus what only a query reports, as {@code
   * nmstatectl show} does — {@code routes.running} (every route but the kernel's own), {@code
   * dns-resolver.running}, {@code hostname}, per interface {@code min-mtu}, {@code max-mtu}, {@code
   * permanent-mac-address} and the IPv6 link-local addresses. All of it applies back as nothing to
   * do.
   */
  public static DesiredState show(
      Snapshot s, DnsConfig dns, Predicate<String> wanted, String hostname) {
    return show(s, dns, dns, wanted, hostname, Map.of());
  }

  /**
   * With the DNS the resolver file holds in all ({@code dnsRunning}: static and what DHCP added)
   * and the dynamic-IP settings in effect ({@link DynamicIp#settings()}).
   */
  public static DesiredState show(
      Snapshot s,
      DnsConfig dns,
      DnsConfig dnsAll,
      Predicate<String> wanted,
      String hostname,
      Map<String, AutoIp> dynamic) {
    var base = StateReader.read(s, dns, wanted, dynamic);
    var byName = s.byName();
    var addrs = s.addressesByIndex();
    var ifaces = new ArrayList<Interface>();
    for (var i : base.interfacesOrEmpty()) {
      // An OVS bridge is no kernel device (its internal port of the same name is).
      var l = i instanceof Interface.OvsBridge ? null : byName.get(i.name());
      var shown =
          l == null
              ? i
              : withQueryFacts(
                  i,
                  l,
                  addrs.getOrDefault(l.index(), List.of()),
                  s.extras().lldpNeighbors().get(l.name()));
      ifaces.add(l == null ? shown : withMptcp(shown, addrs.getOrDefault(l.index(), List.of()), s));
    }
    var byIndex = s.byIndex();
    var running = new ArrayList<io.multihome.state.Route>();
    for (var r : s.routes()) {
      var dev = r.oif() == null ? null : StateReader.nameOf(byIndex, r.oif());
      if (RouteMapping.running(r) && (dev == null || wanted.test(dev))) {
        running.add(RouteMapping.toModel(r, dev));
      }
    }
    var routesRunning =
        io.multihome.state.StateWriter.toTree(DesiredState.EMPTY.withRoutes(running))
            .path("routes")
            .path("config");
    com.fasterxml.jackson.databind.JsonNode dnsRunning = null;
    if (dnsAll != null) {
      var d = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      var search = d.putArray("search");
      (dnsAll.search() == null ? List.<String>of() : dnsAll.search()).forEach(search::add);
      var server = d.putArray("server");
      (dnsAll.server() == null ? List.<String>of() : dnsAll.server()).forEach(server::add);
      dnsRunning = d;
    }
    return new DesiredState(
        ifaces,
        base.routes(),
        routesRunning,
        base.routeRules(),
        dns,
        dnsRunning,
        null,
        base.ovsDb(),
        base.ovn(),
        Extras.NONE,
        Map.of(),
        hostname(s, hostname));
  }

  /**
   * The host names the engine read (running, and the static one from the target's host name file);
   * without them (a snapshot read with no engine) the running name given for both.
   */
  private static DesiredState.Hostname hostname(Snapshot s, String running) {
    var h = s.extras().hostname();
    if (h != null && h.running() != null) {
      return new DesiredState.Hostname(h.config(), h.running());
    }
    return running == null ? null : new DesiredState.Hostname(running, running);
  }

  private static Interface withQueryFacts(
      Interface i,
      NodeLink l,
      List<Address> addrs,
      List<com.fasterxml.jackson.databind.JsonNode> neighbors) {
    var c = i.common();
    var facts = new java.util.LinkedHashMap<String, com.fasterxml.jackson.databind.JsonNode>();
    var json = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
    if (l.minMtu() != null) {
      facts.put("min-mtu", json.numberNode(l.minMtu()));
    }
    if (l.maxMtu() != null) {
      facts.put("max-mtu", json.numberNode(l.maxMtu()));
    }
    if (l.permanentMac() != null && !l.permanentMac().equals("00:00:00:00:00:00")) {
      facts.put("permanent-mac-address", json.textNode(l.permanentMac().toUpperCase(Locale.ROOT)));
    }
    var ipv6 = c.ipv6();
    if (ipv6 != null && Boolean.TRUE.equals(ipv6.enabled())) {
      // nmstate lists the kernel's link-local addresses too (and drops them from desired states).
      var list = new ArrayList<IpConfig.Address>();
      for (var a : addrs) {
        if (a.family() == Rtnl.AF_INET6 && AddressMapping.isLinkLocal(a)) {
          list.add(
              new IpConfig.Address(Ips.text(a.local().address()), a.local().length(), Extras.NONE));
        }
      }
      list.addAll(ipv6.address() == null ? List.of() : ipv6.address());
      ipv6 = ipv6.toBuilder().address(list).build();
    }
    var common =
        c.toBuilder()
            .ipv6(ipv6)
            .extras(new Extras(Map.of(), facts))
            .options(OptionsMapping.withNeighbors(c.options(), neighbors))
            .build();
    return withCommon(i, common);
  }

  /**
   * {@code mptcp.address-flags} as nmstate derives it: the flags the endpoints of the interface's
   * MPTCP-capable addresses share. Printed only for interfaces with an endpoint.
   */
  private static Interface withMptcp(Interface i, List<Address> addrs, Snapshot s) {
    if (s.mptcp() == null || s.mptcp().isEmpty()) {
      return i;
    }
    List<String> flags = null;
    for (var a : addrs) {
      var ip = a.local().address();
      if (!MptcpPlanner.capable(ip)) {
        continue;
      }
      for (var e : s.mptcp()) {
        if (ip.equals(e.address())) {
          var names = e.flagNames();
          if (flags != null && !flags.equals(names)) {
            return i;
          }
          flags = names;
        }
      }
    }
    return flags == null ? i : withCommon(i, i.common().withMptcp(flags));
  }

  /** {@code i} with other common keys; kind sections unchanged. */
  static Interface withCommon(Interface i, Common c) {
    if (i instanceof Interface.Ethernet e) return new Interface.Ethernet(c, e.ethernet());
    if (i instanceof Interface.LinuxBridge b) return new Interface.LinuxBridge(c, b.bridge());
    if (i instanceof Interface.Vlan v) return new Interface.Vlan(c, v.vlan());
    if (i instanceof Interface.Veth v) return new Interface.Veth(c, v.veth());
    if (i instanceof Interface.MacVlan m) return new Interface.MacVlan(c, m.macVlan());
    if (i instanceof Interface.MacVtap m) return new Interface.MacVtap(c, m.macVtap());
    if (i instanceof Interface.Vxlan x) return new Interface.Vxlan(c, x.vxlan());
    if (i instanceof Interface.Bond b) return new Interface.Bond(c, b.linkAggregation());
    if (i instanceof Interface.Dummy) return new Interface.Dummy(c);
    if (i instanceof Interface.Loopback) return new Interface.Loopback(c);
    if (i instanceof Interface.Untyped) return new Interface.Untyped(c);
    if (i instanceof Interface.OvsBridge b) return new Interface.OvsBridge(c, b.bridge());
    if (i instanceof Interface.OvsInterface o)
      return new Interface.OvsInterface(c, o.patch(), o.dpdk());
    if (i instanceof Interface.Vrf v) return new Interface.Vrf(c, v.vrf());
    if (i instanceof Interface.IpVlan v) return new Interface.IpVlan(c, v.ipvlan());
    if (i instanceof Interface.Hsr h) return new Interface.Hsr(c, h.hsr());
    if (i instanceof Interface.MacSec m) return new Interface.MacSec(c, m.macsec());
    if (i instanceof Interface.InfiniBand b) return new Interface.InfiniBand(c, b.infiniband());
    return i;
  }
}
