package io.multihome.agent.engine;

import io.multihome.agent.netlink.Address;
import io.multihome.agent.netlink.BridgeVlan;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.netlink.Rtnl;
import io.multihome.state.BridgeConfig;
import io.multihome.state.Common;
import io.multihome.state.DesiredState;
import io.multihome.state.DnsConfig;
import io.multihome.state.Extras;
import io.multihome.state.Interface;
import io.multihome.state.InterfaceState;
import io.multihome.state.InterfaceType;
import io.multihome.state.IpConfig;
import io.multihome.state.MacVlanMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The current state of a namespace as a desired state: what {@code multihome show} prints and what
 * verification compares against. Volatile facts (counters, operstate, timers, link-local IPv6
 * addresses, kernel-made routes, the default rules) are left out so the output applies back
 * unchanged.
 */
public final class StateReader {
  private StateReader() {}

  /** The whole namespace, or only the interfaces {@code wanted} accepts (routes follow them). */
  public static DesiredState read(Snapshot s, DnsConfig dns, Predicate<String> wanted) {
    return read(s, dns, wanted, name -> false, Map.of());
  }

  /**
   * Like {@link #read(Snapshot, DnsConfig, Predicate)}, with the dynamic-IP settings in effect
   * ({@link DynamicIp#settings()}): their interfaces show {@code dhcp}/{@code autoconf} and the
   * {@code auto-*} keys as nmstate shows them.
   */
  public static DesiredState read(
      Snapshot s, DnsConfig dns, Predicate<String> wanted, Map<String, AutoIp> dynamic) {
    return read(s, dns, wanted, name -> false, dynamic);
  }

  /**
   * Like {@link #read(Snapshot, DnsConfig, Predicate)}, reading the veths {@code asEthernet}
   * accepts as NICs ({@code type: ethernet} with their {@code ethernet} link settings), as a
   * desired state that declares them so is compared.
   */
  static DesiredState read(
      Snapshot s, DnsConfig dns, Predicate<String> wanted, Predicate<String> asEthernet) {
    return read(s, dns, wanted, asEthernet, Map.of());
  }

  static DesiredState read(
      Snapshot s,
      DnsConfig dns,
      Predicate<String> wanted,
      Predicate<String> asEthernet,
      Map<String, AutoIp> dynamic) {
    var byIndex = s.byIndex();
    var addrs = s.addressesByIndex();
    var ifaces = new ArrayList<Interface>();
    for (var l : s.links()) {
      if (wanted.test(l.name())) {
        var i = toInterface(l, s, byIndex, addrs.getOrDefault(l.index(), List.of()));
        if (i instanceof Interface.Veth v && asEthernet.test(l.name())) {
          var c = v.common();
          i =
              new Interface.Ethernet(
                  c.toBuilder().type(InterfaceType.ETHERNET).build(),
                  SriovMapping.ethernet(
                      l.link(),
                      s.linkModes().get(l.name()),
                      s.extras().driversAutoprobe().get(l.name())));
        }
        var auto = dynamic.get(l.name());
        ifaces.add(auto == null ? i : DynamicIpView.annotate(i, auto));
      }
    }
    OvsShow.interfaces(s, ifaces, wanted);
    var routes = new ArrayList<io.multihome.state.Route>();
    for (var r : s.routes()) {
      var dev = r.oif() == null ? null : nameOf(byIndex, r.oif());
      if (RouteMapping.shown(r) && (dev == null || wanted.test(dev))) {
        routes.add(RouteMapping.toModel(r, dev));
      }
    }
    var rules = new ArrayList<io.multihome.state.RouteRule>();
    for (var r : s.rules()) {
      if (RouteMapping.shown(r)) {
        rules.add(RouteMapping.toModel(r));
      }
    }
    return new DesiredState(
        ifaces,
        routes,
        null,
        rules,
        dns,
        null,
        null,
        OvsShow.ovsDb(s),
        OvsShow.ovn(s),
        Extras.NONE,
        Map.of(),
        null);
  }

  static String nameOf(Map<Integer, NodeLink> byIndex, Integer index) {
    var l = index == null ? null : byIndex.get(index);
    return l == null ? null : l.name();
  }

  static final int ARPHRD_INFINIBAND = 32;

  /** The nmstate type of a kernel link. */
  public static InterfaceType typeOf(NodeLink l) {
    return switch (l.kind()) {
      case "bridge" -> InterfaceType.LINUX_BRIDGE;
      case "veth" -> InterfaceType.VETH;
      case "macvlan" -> InterfaceType.MAC_VLAN;
      case "macvtap" -> InterfaceType.MAC_VTAP;
      case "vxlan" -> InterfaceType.VXLAN;
      case "vlan" -> InterfaceType.VLAN;
      case "bond" -> InterfaceType.BOND;
      case "dummy" -> InterfaceType.DUMMY;
      case "vrf" -> InterfaceType.VRF;
      case "ipvlan" -> InterfaceType.IPVLAN;
      case "hsr" -> InterfaceType.HSR;
      case "macsec" -> InterfaceType.MACSEC;
      case "ipoib" -> InterfaceType.INFINIBAND;
      case "" ->
          (l.link().flags() & Rtnl.IFF_LOOPBACK) != 0
              ? InterfaceType.LOOPBACK
              : l.facts().arpType() == ARPHRD_INFINIBAND
                  ? InterfaceType.INFINIBAND
                  : InterfaceType.ETHERNET;
      case "tun" -> InterfaceType.TUN;
      default -> InterfaceType.UNKNOWN;
    };
  }

  private static Interface toInterface(
      NodeLink l, Snapshot s, Map<Integer, NodeLink> byIndex, List<Address> addrs) {
    var link = l.link();
    String master = nameOf(byIndex, link.masterIndex());
    // A VRF's ports keep their IP (a VRF is an L3 domain); other controllers' ports have none.
    var masterLink = link.masterIndex() == null ? null : byIndex.get(link.masterIndex());
    boolean port = master != null && !(masterLink != null && "vrf".equals(masterLink.kind()));
    var type = typeOf(l);
    var common =
        new Common(
            l.name(),
            type.supported() ? type : null,
            type.supported()
                ? (link.isUp() ? InterfaceState.UP : InterfaceState.DOWN)
                : InterfaceState.IGNORE,
            link.mtu(),
            link.mac() == null || link.mac().bytes().length != 6 || type == InterfaceType.LOOPBACK
                ? null
                : link.mac().toString().toUpperCase(Locale.ROOT),
            l.alias(),
            master,
            ipv4(addrs, port, l.facts().forwarding()),
            ipv6(l, addrs, port),
            Extras.NONE,
            l.promiscuous(),
            // The agent's LLDP listener runs on the interfaces kept with lldp.enabled.
            s.extras().kept().lldpEnabled(l.name()),
            null,
            null,
            OptionsMapping.of(l, s));
    var kind = link.kind();
    return switch (type) {
      case LINUX_BRIDGE -> new Interface.LinuxBridge(common, bridge(l, s, byIndex));
      case VETH -> {
        // A peer in another namespace has no name here: leave the section out.
        var peer = link.netnsId() == null ? nameOf(byIndex, link.parentIndex()) : null;
        yield new Interface.Veth(common, peer == null ? null : new Interface.VethConfig(peer));
      }
      case MAC_VLAN -> new Interface.MacVlan(common, macvlan(kind, link.parentIndex(), byIndex));
      case MAC_VTAP -> new Interface.MacVtap(common, macvlan(kind, link.parentIndex(), byIndex));
      case VXLAN -> new Interface.Vxlan(common, vxlan((LinkKind.Vxlan) kind, byIndex));
      case VLAN -> {
        var v = (LinkKind.Vlan) kind;
        yield new Interface.Vlan(
            common,
            new Interface.VlanConfig(
                nameOf(byIndex, link.parentIndex()),
                v.id(),
                v.protocol() != null && v.protocol() == 0x88a8 ? "802.1ad" : "802.1q",
                null,
                null,
                null));
      }
      case BOND ->
          kind instanceof LinkKind.Bond
              ? new Interface.Bond(common, bond(l, s, byIndex))
              : new Interface.Untyped(common);
      case DUMMY -> new Interface.Dummy(common);
      case LOOPBACK -> new Interface.Loopback(common);
      case VRF ->
          kind instanceof LinkKind.Vrf v
              ? new Interface.Vrf(common, vrf(l, v, s))
              : new Interface.Untyped(common);
      case IPVLAN ->
          kind instanceof LinkKind.Ipvlan v
              ? new Interface.IpVlan(common, ipvlan(v, nameOf(byIndex, link.parentIndex())))
              : new Interface.Untyped(common);
      case HSR ->
          kind instanceof LinkKind.Hsr h
              ? new Interface.Hsr(
                  common,
                  new Interface.HsrConfig(
                      nameOf(byIndex, h.port1()),
                      nameOf(byIndex, h.port2()),
                      h.multicastSpec(),
                      KindPlanner.protocol(h.protocol())))
              : new Interface.Untyped(common);
      case MACSEC ->
          kind instanceof LinkKind.Macsec m
              ? new Interface.MacSec(common, macsec(m, nameOf(byIndex, link.parentIndex())))
              : new Interface.Untyped(common);
      case INFINIBAND -> new Interface.InfiniBand(common, infiniband(l, byIndex));
      case ETHERNET ->
          new Interface.Ethernet(
              common,
              SriovMapping.ethernet(
                  link, s.linkModes().get(l.name()), s.extras().driversAutoprobe().get(l.name())));
      default -> new Interface.Untyped(common);
    };
  }

  static IpConfig ipv4(List<Address> addrs, boolean port, Boolean forwarding) {
    var list = addresses(addrs, Rtnl.AF_INET);
    if (port && list.isEmpty()) {
      // nmstate hides the IP of a port (it cannot have any).
      return null;
    }
    if (list.isEmpty()) {
      return ip(false, null).withForwarding(forwarding);
    }
    var ip = ip(true, list).withForwarding(forwarding);
    // As nmstate's kernel backend: an address with a finite lifetime is a DHCP lease's.
    return anyDynamic(addrs, Rtnl.AF_INET) ? DynamicIpView.withDhcp(ip) : ip;
  }

  private static boolean anyDynamic(List<Address> addrs, int family) {
    for (var a : addrs) {
      if (a.family() == family && a.dynamic()) {
        return true;
      }
    }
    return false;
  }

  static IpConfig ipv6(NodeLink l, List<Address> addrs, boolean port) {
    if (l.ipv6Disabled()) {
      return ip(false, null);
    }
    if (port) {
      // A port cannot carry IP in nmstate; leaving the section out keeps IPv6 as it is.
      return null;
    }
    var ip = ip6(true, addresses(addrs, Rtnl.AF_INET6));
    var mode = addrGenMode(l.addrGenMode());
    return mode == null ? ip : ip.toBuilder().addrGenMode(mode).build();
  }

  /** nmstate's names for the kernel's IPv6 address generation modes it knows. */
  static String addrGenMode(Integer kernel) {
    if (kernel == null) {
      return null;
    }
    return switch (kernel) {
      case 0 -> "eui64";
      case 2 -> "stable-privacy";
      default -> null;
    };
  }

  private static Interface.VrfConfig vrf(NodeLink l, LinkKind.Vrf v, Snapshot s) {
    var ports = new ArrayList<String>();
    for (var p : s.links()) {
      var m = p.link().masterIndex();
      if (m != null && m == l.index()) {
        ports.add(p.name());
      }
    }
    java.util.Collections.sort(ports);
    return new Interface.VrfConfig(
        ports, v.table() == null ? null : Integer.toUnsignedLong(v.table()));
  }

  private static Interface.IpVlanConfig ipvlan(LinkKind.Ipvlan v, String base) {
    int flags = v.flags() == null ? 0 : v.flags();
    return new Interface.IpVlanConfig(
        base,
        KindOps.ipvlanMode(v.mode()),
        (flags & LinkKind.Ipvlan.F_PRIVATE) != 0,
        (flags & LinkKind.Ipvlan.F_VEPA) != 0);
  }

  private static Interface.MacSecConfig macsec(LinkKind.Macsec m, String base) {
    return new Interface.MacSecConfig(
        base,
        m.encrypt(),
        null,
        null,
        m.port(),
        m.validation() == null ? null : KindOps.VALIDATION.get(m.validation()),
        m.includeSci(),
        // A kernel that reports no IFLA_MACSEC_OFFLOAD has none: off.
        KindOps.OFFLOAD.get(m.offload() == null ? 0 : m.offload()));
  }

  /**
   * An InfiniBand link: a partition child (kind ipoib) names its parent and pkey; the device itself
   * has pkey 0xffff (the default partition), as nmstate shows it.
   */
  static Interface.InfiniBandConfig infiniband(NodeLink l, Map<Integer, NodeLink> byIndex) {
    if (l.link().kind() instanceof LinkKind.Ipoib ib) {
      return new Interface.InfiniBandConfig(
          nameOf(byIndex, l.link().parentIndex()),
          ib.mode() == null ? null : ib.mode() == 1 ? "connected" : "datagram",
          ib.pkey());
    }
    return new Interface.InfiniBandConfig(null, null, 0xffff);
  }

  private static IpConfig ip(boolean enabled, List<IpConfig.Address> list) {
    return IpConfig.of(enabled, enabled ? false : null, null, list);
  }

  private static IpConfig ip6(boolean enabled, List<IpConfig.Address> list) {
    return IpConfig.of(enabled, enabled ? false : null, enabled ? false : null, list);
  }

  /**
   * Addresses of one family; IPv6 link-local ones are the kernel's, not configuration. Dynamic ones
   * (DHCP, autoconf) carry nmstate's {@code valid-life-time}/{@code preferred-life-time}, which
   * mark them as not configuration when the output is applied back.
   */
  static List<IpConfig.Address> addresses(List<Address> addrs, int family) {
    var out = new ArrayList<IpConfig.Address>();
    for (var a : addrs) {
      if (a.family() == family && !AddressMapping.isLinkLocal(a)) {
        out.add(
            new IpConfig.Address(
                Ips.text(a.local().address()),
                a.local().length(),
                a.dynamic() ? DynamicIpView.lifetimes(a) : Extras.NONE));
      }
    }
    return out;
  }

  /** Port VLANs are configuration only while the bridge filters VLANs. */
  private static BridgeConfig.PortVlan portVlan(LinkKind.Bridge b, List<BridgeVlan> list) {
    if (!Boolean.TRUE.equals(b.vlanFiltering()) || list == null || list.isEmpty()) {
      return null;
    }
    return PortVlans.toModel(list);
  }

  /** Mode, ports and the options the engine sets (xmit_hash_policy/lacp_rate: mode-specific). */
  private static Interface.BondConfig bond(NodeLink l, Snapshot s, Map<Integer, NodeLink> byIndex) {
    var b = (LinkKind.Bond) l.link().kind();
    var options = new java.util.LinkedHashMap<String, com.fasterxml.jackson.databind.JsonNode>();
    var json = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
    if (b.miimon() != null) options.put("miimon", json.numberNode(b.miimon()));
    if (b.updelay() != null) options.put("updelay", json.numberNode(b.updelay()));
    if (b.downdelay() != null) options.put("downdelay", json.numberNode(b.downdelay()));
    var primary = nameOf(byIndex, l.bondPrimary());
    if (primary != null) options.put("primary", json.textNode(primary));
    if (b.minLinks() != null) options.put("min_links", json.numberNode(b.minLinks()));
    if (b.xmitHashPolicy() != null && KindMapping.xmitHashName(b.xmitHashPolicy()) != null) {
      options.put("xmit_hash_policy", json.textNode(KindMapping.xmitHashName(b.xmitHashPolicy())));
    }
    if (b.lacpRate() != null)
      options.put("lacp_rate", json.textNode(b.lacpRate() == 1 ? "fast" : "slow"));
    BondMapping.show(b, options);
    var ports = new ArrayList<String>();
    var portsConfig = new ArrayList<Interface.BondPortConfig>();
    for (var p : s.links()) {
      var m = p.link().masterIndex();
      if (m != null && m == l.index()) {
        ports.add(p.name());
        portsConfig.add(
            new Interface.BondPortConfig(p.name(), p.facts().bondPrio(), p.facts().bondQueueId()));
      }
    }
    var slb = s.extras().slb().get(l.name());
    var hooked = slb == null ? null : BondSlb.parse(l.name(), slb);
    if (hooked != null && new HashSet<>(hooked.ports()).equals(new HashSet<>(ports))) {
      // The table hooks exactly the bond's ports. nmstate shows the key as balance_slb.
      options.put(BondSlbPlanner.OPTION, json.booleanNode(true));
    }
    return new Interface.BondConfig(
        b.mode() == null ? null : io.multihome.state.BondMode.values()[b.mode().ordinal()],
        options,
        ports,
        Extras.NONE,
        portsConfig);
  }

  private static BridgeConfig bridge(NodeLink l, Snapshot s, Map<Integer, NodeLink> byIndex) {
    var b = (LinkKind.Bridge) l.link().kind();
    var stp =
        new BridgeConfig.Stp(
            b.stpState() == null ? null : b.stpState() != 0,
            seconds(b.forwardDelay()),
            seconds(b.helloTime()),
            seconds(b.maxAge()),
            b.priority());
    var options =
        new BridgeConfig.Options(
            stp,
            b.ageingTime() == null ? null : (long) (b.ageingTime() / 100),
            b.groupFwdMask(),
            b.groupAddr() == null ? null : b.groupAddr().toString().toUpperCase(Locale.ROOT),
            b.multicastSnooping(),
            b.vlanProtocol() == null ? null : b.vlanProtocol() == 0x88a8 ? "802.1ad" : "802.1q",
            b.defaultPvid(),
            Extras.NONE,
            BridgeMulticastMapping.toModel(b.multicast()));
    var ports = new ArrayList<BridgeConfig.Port>();
    for (var p : s.links()) {
      var m = p.link().masterIndex();
      if (m != null && m == l.index()) {
        var o = p.link().bridgePort();
        ports.add(
            new BridgeConfig.Port(
                p.name(),
                o == null ? null : o.hairpin(),
                o == null ? null : o.cost(),
                o == null ? null : o.priority(),
                portVlan(b, s.vlans().get(p.index()))));
      }
    }
    return new BridgeConfig(options, ports);
  }

  static Integer seconds(Integer centis) {
    return centis == null ? null : centis / 100;
  }

  private static Interface.MacVlanConfig macvlan(
      LinkKind kind, Integer parent, Map<Integer, NodeLink> byIndex) {
    var m = (LinkKind.Macvlan) kind;
    return new Interface.MacVlanConfig(
        nameOf(byIndex, parent),
        m.mode() == null ? null : modeOf(m.mode()),
        InterfacePlanner.promiscuous(m));
  }

  static MacVlanMode modeOf(LinkKind.MacvlanMode m) {
    return switch (m) {
      case PRIVATE -> MacVlanMode.PRIVATE;
      case VEPA -> MacVlanMode.VEPA;
      case BRIDGE -> MacVlanMode.BRIDGE;
      case PASSTHRU -> MacVlanMode.PASSTHRU;
      case SOURCE -> MacVlanMode.SOURCE;
    };
  }

  private static Interface.VxlanConfig vxlan(LinkKind.Vxlan x, Map<Integer, NodeLink> byIndex) {
    return new Interface.VxlanConfig(
        nameOf(byIndex, x.underlayIndex()),
        x.vni(),
        x.remote() == null ? null : Ips.text(x.remote()),
        x.local() == null ? null : Ips.text(x.local()),
        x.learning(),
        x.port());
  }
}
