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
    return read(s, dns, wanted, name -> false);
  }

  /**
   * Like {@link #read(Snapshot, DnsConfig, Predicate)}, reading the veths {@code asEthernet}
   * accepts as NICs ({@code type: ethernet} with their {@code ethernet} link settings), as a
   * desired state that declares them so is compared.
   */
  static DesiredState read(
      Snapshot s, DnsConfig dns, Predicate<String> wanted, Predicate<String> asEthernet) {
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
                  new Common(
                      c.name(),
                      InterfaceType.ETHERNET,
                      c.state(),
                      c.mtu(),
                      c.macAddress(),
                      c.description(),
                      c.controller(),
                      c.ipv4(),
                      c.ipv6(),
                      c.extras(),
                      c.acceptAllMacAddresses(),
                      c.lldpEnabled(),
                      c.ovsDb()),
                  SriovMapping.ethernet(l.link(), s.linkModes().get(l.name())));
        }
        ifaces.add(i);
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
      case "" ->
          (l.link().flags() & Rtnl.IFF_LOOPBACK) != 0
              ? InterfaceType.LOOPBACK
              : InterfaceType.ETHERNET;
      case "tun" -> InterfaceType.TUN;
      default -> InterfaceType.UNKNOWN;
    };
  }

  private static Interface toInterface(
      NodeLink l, Snapshot s, Map<Integer, NodeLink> byIndex, List<Address> addrs) {
    var link = l.link();
    String master = nameOf(byIndex, link.masterIndex());
    boolean port = master != null;
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
            ipv4(addrs, port),
            ipv6(l, addrs, port),
            Extras.NONE,
            l.promiscuous(),
            // multihome runs no LLDP agent: nmstate shows lldp.enabled false then.
            false,
            null);
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
      case ETHERNET ->
          new Interface.Ethernet(common, SriovMapping.ethernet(link, s.linkModes().get(l.name())));
      default -> new Interface.Untyped(common);
    };
  }

  static IpConfig ipv4(List<Address> addrs, boolean port) {
    var list = addresses(addrs, Rtnl.AF_INET);
    if (port && list.isEmpty()) {
      // nmstate hides the IP of a port (it cannot have any).
      return null;
    }
    if (list.isEmpty()) {
      return ip(false, null);
    }
    return ip(true, list);
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
    return mode == null
        ? ip
        : new IpConfig(
            ip.enabled(),
            ip.dhcp(),
            ip.autoconf(),
            ip.address(),
            null,
            null,
            null,
            null,
            null,
            Extras.NONE,
            mode);
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

  private static IpConfig ip(boolean enabled, List<IpConfig.Address> list) {
    return new IpConfig(
        enabled, enabled ? false : null, null, list, null, null, null, null, null, Extras.NONE);
  }

  private static IpConfig ip6(boolean enabled, List<IpConfig.Address> list) {
    return new IpConfig(
        enabled,
        enabled ? false : null,
        enabled ? false : null,
        list,
        null,
        null,
        null,
        null,
        null,
        Extras.NONE);
  }

  /** Static addresses of one family; IPv6 link-local ones are the kernel's, not configuration. */
  static List<IpConfig.Address> addresses(List<Address> addrs, int family) {
    var out = new ArrayList<IpConfig.Address>();
    for (var a : addrs) {
      if (a.family() == family && !AddressMapping.isAutomatic(a)) {
        out.add(
            new IpConfig.Address(Ips.text(a.local().address()), a.local().length(), Extras.NONE));
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
    var ports = new ArrayList<String>();
    for (var p : s.links()) {
      var m = p.link().masterIndex();
      if (m != null && m == l.index()) {
        ports.add(p.name());
      }
    }
    return new Interface.BondConfig(
        b.mode() == null ? null : io.multihome.state.BondMode.values()[b.mode().ordinal()],
        options,
        ports,
        Extras.NONE);
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
