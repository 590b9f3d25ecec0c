package io.multihome.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.state.Interface.BondConfig;
import io.multihome.state.Interface.MacVlanConfig;
import io.multihome.state.Interface.VethConfig;
import io.multihome.state.Interface.VlanConfig;
import io.multihome.state.Interface.VxlanConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the {@code interfaces} list into {@link Interface} records; see {@link StateParser}. */
final class InterfaceParser {

  static final Set<String> COMMON_UNSUPPORTED = Set.of("wait-ip");

  /** Valid nmstate kept verbatim; the engine refuses them until it covers them. */
  static final Set<String> COMMON_KEPT = Set.of();

  static final Set<String> COMMON_QUERY_ONLY =
      Set.of("min-mtu", "max-mtu", "permanent-mac-address", "driver");
  private static final Set<String> IP_UNSUPPORTED =
      Set.of("token", "allow-extra-address", "dhcp-send-hostname", "dhcp-custom-hostname");
  private static final Set<String> IP4_UNSUPPORTED = plus(IP_UNSUPPORTED, "addr-gen-mode");
  // nmstate's forwarding is IPv4's (net.ipv4.conf.IFACE.forwarding).
  private static final Set<String> IP6_UNSUPPORTED = plus(IP_UNSUPPORTED, "forwarding");

  private static Set<String> plus(Set<String> base, String key) {
    var s = new java.util.HashSet<>(base);
    s.add(key);
    return Set.copyOf(s);
  }

  private static final Set<String> ADDRESS_QUERY_ONLY =
      Set.of("valid-life-time", "preferred-life-time", "mptcp-flags");

  private InterfaceParser() {}

  static List<Interface> readAll(Fields top, ParseContext ctx) {
    var items = top.list("interfaces");
    if (items == null) {
      return null;
    }
    var out = new ArrayList<Interface>(items.size());
    for (int i = 0; i < items.size(); i++) {
      out.add(read(items.get(i), Problem.index(top.path("interfaces"), i), ctx));
    }
    return Collections.unmodifiableList(out);
  }

  private static Interface read(JsonNode node, String at, ParseContext ctx) {
    var f = Fields.of(node, at, ctx);
    if (f == null) {
      // A template or a non-mapping (already reported): keep the position, nothing to check.
      return new Interface.Unsupported(emptyCommon(null, null, null), node);
    }
    f.require("name", null);
    var name = f.string("name");
    var typeText = f.string("type");
    var state = f.choice("state", InterfaceState.class);
    InterfaceType type = null;
    if (typeText != null) {
      type = InterfaceType.fromWire(typeText);
      if (type == null) {
        ctx.problem(
            f.path("type"),
            "'" + typeText + "' is not an nmstate interface type; expected one of " + typeNames());
        f.all();
        return new Interface.Unsupported(emptyCommon(name, null, state), node);
      }
      if (type == InterfaceType.UNKNOWN) {
        // nmstate resolves type: unknown from the interface the node has by that name.
        type = null;
      } else if (!type.supported()) {
        // Kept whole; validation reports the type once, not each of its keys.
        f.all();
        return new Interface.Unsupported(emptyCommon(name, type, state), node);
      }
    }
    var kind = type != null ? type : inferType(f);
    boolean absent = state == InterfaceState.ABSENT;
    var ipv4 = readIp(f.object("ipv4"), false, ctx);
    var ipv6 = readIp(f.object("ipv6"), true, ctx);
    var mtu = f.integer("mtu");
    var mac = f.string("mac-address");
    var description = f.string("description");
    var controller = f.string("controller");
    var ovsDb = OvsParser.readOvsDb(f, ctx);
    Interface.OvsPatchConfig patch = null;
    JsonNode dpdk = null;
    if (kind == InterfaceType.OVS_INTERFACE) {
      patch = OvsParser.readPatch(f, absent);
      // Valid nmstate that validation refuses (no DPDK here): kept verbatim.
      dpdk = f.verbatim("dpdk", ModelFields.Category.UNSUPPORTED);
    }
    var acceptAll = f.bool("accept-all-mac-addresses");
    Boolean lldp = null;
    JsonNode neighbors = null;
    var lldpObj = f.object("lldp");
    if (lldpObj != null) {
      lldp = lldpObj.bool("enabled");
      // neighbors is what a query reports; nmstate ignores it on apply.
      neighbors = lldpObj.queryOnly("neighbors");
      lldpObj.finish();
    }
    List<String> mptcp = null;
    var mptcpObj = f.object("mptcp");
    if (mptcpObj != null) {
      mptcp = mptcpObj.strings("address-flags");
      mptcpObj.finish();
    }
    Object section = null;
    if (kind != null) {
      section =
          switch (kind) {
            case ETHERNET -> readEthernet(f, ctx);
            case LINUX_BRIDGE -> BridgeParser.read(f, absent, ctx);
            case VLAN -> readVlan(f, absent);
            case VETH -> readVeth(f, absent);
            case MAC_VLAN -> readMacVlan(f, "mac-vlan", absent);
            case MAC_VTAP -> readMacVlan(f, "mac-vtap", absent);
            case VXLAN -> readVxlan(f, absent);
            case BOND -> readBond(f, ctx);
            case OVS_BRIDGE -> OvsParser.readBridge(f, absent, ctx);
            case VRF, IPVLAN, HSR, MACSEC, INFINIBAND, IPSEC -> KindParser.read(f, kind);
            default -> null;
          };
    }
    var options = OptionsParser.read(f, neighbors, ctx);
    reportForeignSections(f, kind, ctx);
    var extras = f.finish(COMMON_UNSUPPORTED, COMMON_QUERY_ONLY, COMMON_KEPT);
    var c =
        new Common(
            name,
            type,
            state,
            mtu,
            mac,
            description,
            controller,
            ipv4,
            ipv6,
            extras,
            acceptAll,
            lldp,
            mptcp,
            ovsDb,
            options);
    if (kind == null) {
      return new Interface.Untyped(c);
    }
    return switch (kind) {
      case ETHERNET -> new Interface.Ethernet(c, (EthernetConfig) section);
      case LINUX_BRIDGE -> new Interface.LinuxBridge(c, (BridgeConfig) section);
      case VLAN -> new Interface.Vlan(c, (VlanConfig) section);
      case VETH -> new Interface.Veth(c, (VethConfig) section);
      case MAC_VLAN -> new Interface.MacVlan(c, (MacVlanConfig) section);
      case MAC_VTAP -> new Interface.MacVtap(c, (MacVlanConfig) section);
      case VXLAN -> new Interface.Vxlan(c, (VxlanConfig) section);
      case BOND -> new Interface.Bond(c, (BondConfig) section);
      case DUMMY -> new Interface.Dummy(c);
      case LOOPBACK -> new Interface.Loopback(c);
      case OVS_BRIDGE -> new Interface.OvsBridge(c, (OvsBridgeConfig) section);
      case OVS_INTERFACE -> new Interface.OvsInterface(c, patch, dpdk);
      case VRF -> new Interface.Vrf(c, (Interface.VrfConfig) section);
      case IPVLAN -> new Interface.IpVlan(c, (Interface.IpVlanConfig) section);
      case HSR -> new Interface.Hsr(c, (Interface.HsrConfig) section);
      case MACSEC -> new Interface.MacSec(c, (Interface.MacSecConfig) section);
      case INFINIBAND -> new Interface.InfiniBand(c, (Interface.InfiniBandConfig) section);
      case IPSEC -> new Interface.Ipsec(c, (Interface.LibreswanConfig) section);
      default -> throw new IllegalStateException("no record for supported type " + kind);
    };
  }

  /** The list, read-only; null stays null (a left-out key). Elements may be null (templates). */
  static <T> List<T> frozen(List<T> list) {
    return list == null ? null : Collections.unmodifiableList(list);
  }

  static Common emptyCommon(String name, InterfaceType type, InterfaceState state) {
    return Common.builder(name, type, state).build();
  }

  private static String typeNames() {
    var names = new ArrayList<String>();
    for (var t : InterfaceType.values()) {
      names.add(t.wire());
    }
    return String.join(", ", names);
  }

  /** Without {@code type}, a type section (e.g. {@code bridge}) tells the kind. */
  private static InterfaceType inferType(Fields f) {
    for (var t : InterfaceType.values()) {
      if (t.supported() && t.section() != null && f.has(t.section())) {
        return t;
      }
    }
    return null;
  }

  /** A section of another type (e.g. {@code vlan} under {@code type: linux-bridge}). */
  private static void reportForeignSections(Fields f, InterfaceType kind, ParseContext ctx) {
    // An ovs-bridge's own section is "bridge", the key linux-bridge's type inference reads.
    var own = kind == InterfaceType.OVS_BRIDGE ? "bridge" : kind == null ? null : kind.section();
    for (var t : InterfaceType.values()) {
      if (t.section() != null && t != kind && !t.section().equals(own) && f.has(t.section())) {
        f.raw(t.section());
        ctx.problem(
            f.path(t.section()),
            "section '"
                + t.section()
                + "' belongs to type "
                + t.wire()
                + (kind == null ? "" : ", not " + kind.wire()));
      }
    }
  }

  private static IpConfig readIp(Fields f, boolean v6, ParseContext ctx) {
    if (f == null) {
      return null;
    }
    var enabled = f.bool("enabled");
    var dhcp = f.bool("dhcp");
    var autoconf = v6 ? f.bool("autoconf") : null;
    var clientId = f.string("dhcp-client-id");
    var duid = f.string("dhcp-duid");
    var addrGenMode = v6 ? f.string("addr-gen-mode") : null;
    var forwarding = v6 ? null : f.bool("forwarding");
    List<IpConfig.Address> addresses = null;
    var items = f.list("address");
    if (items != null) {
      addresses = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        var a = Fields.of(items.get(i), Problem.index(f.path("address"), i), ctx);
        if (a == null) {
          addresses.add(new IpConfig.Address(null, null, Extras.NONE));
          continue;
        }
        a.require("ip", null);
        a.require("prefix-length", null);
        addresses.add(
            new IpConfig.Address(
                a.string("ip"),
                a.integer("prefix-length"),
                a.finish(Set.of(), ADDRESS_QUERY_ONLY)));
      }
    }
    return new IpConfig(
        enabled,
        dhcp,
        autoconf,
        frozen(addresses),
        f.bool("auto-dns"),
        f.bool("auto-gateway"),
        f.bool("auto-routes"),
        f.longValue("auto-route-table-id"),
        f.longValue("auto-route-metric"),
        f.finish(v6 ? IP6_UNSUPPORTED : IP4_UNSUPPORTED, Set.of()),
        addrGenMode,
        clientId,
        duid,
        forwarding);
  }

  private static EthernetConfig readEthernet(Fields iface, ParseContext ctx) {
    var f = iface.object("ethernet");
    if (f == null) {
      return null;
    }
    var autoNeg = f.bool("auto-negotiation");
    var speed = f.integer("speed");
    var duplex = f.string("duplex");
    EthernetConfig.SrIov srIov = null;
    var s = f.object("sr-iov");
    if (s != null) {
      var total = s.integer("total-vfs");
      var autoprobe = s.bool("drivers-autoprobe");
      List<EthernetConfig.Vf> vfs = null;
      var items = s.list("vfs");
      if (items != null) {
        vfs = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
          var v = Fields.of(items.get(i), Problem.index(s.path("vfs"), i), ctx);
          if (v == null) {
            vfs.add(
                new EthernetConfig.Vf(
                    null, null, null, null, null, null, null, null, null, Extras.NONE));
            continue;
          }
          v.require("id", null);
          vfs.add(
              new EthernetConfig.Vf(
                  v.integer("id"),
                  v.string("mac-address"),
                  v.bool("spoof-check"),
                  v.bool("trust"),
                  v.integer("min-tx-rate"),
                  v.integer("max-tx-rate"),
                  v.integer("vlan-id"),
                  v.integer("qos"),
                  v.string("vlan-proto"),
                  v.finish(Set.of(), Set.of("iface-name"))));
        }
      }
      srIov =
          new EthernetConfig.SrIov(
              total, autoprobe, frozen(vfs), s.finish(Set.of(), Set.of("max-vfs")));
    }
    return new EthernetConfig(autoNeg, speed, duplex, srIov, f.finish());
  }

  private static VlanConfig readVlan(Fields iface, boolean absent) {
    var f = iface.object("vlan");
    if (f == null) {
      return null;
    }
    // id and base-iface are needed to create a VLAN, not to change one (nmstate merges with the
    // node first): the validator asks for them when the interface is new.
    var v =
        new VlanConfig(
            f.string("base-iface"),
            f.integer("id"),
            f.string("protocol"),
            f.string("registration-protocol"),
            f.bool("reorder-headers"),
            f.bool("loose-binding"));
    f.finish();
    return v;
  }

  private static VethConfig readVeth(Fields iface, boolean absent) {
    var f = iface.object("veth");
    if (f == null) {
      return null;
    }
    if (!absent) {
      f.require("peer", null);
    }
    var v = new VethConfig(f.string("peer"));
    f.finish();
    return v;
  }

  private static MacVlanConfig readMacVlan(Fields iface, String section, boolean absent) {
    var f = iface.object(section);
    if (f == null) {
      return null;
    }
    var promiscuousKey = f.alias("promiscuous", "accept-all-mac");
    var m =
        new MacVlanConfig(
            f.string("base-iface"), f.choice("mode", MacVlanMode.class), f.bool(promiscuousKey));
    f.finish();
    return m;
  }

  private static VxlanConfig readVxlan(Fields iface, boolean absent) {
    var f = iface.object("vxlan");
    if (f == null) {
      return null;
    }
    var v =
        new VxlanConfig(
            f.string("base-iface"),
            f.integer("id"),
            f.string("remote"),
            f.string("local"),
            f.bool("learning"),
            f.integer("destination-port"));
    f.finish();
    return v;
  }

  private static BondConfig readBond(Fields iface, ParseContext ctx) {
    var f = iface.object("link-aggregation");
    if (f == null) {
      return null;
    }
    BondMode mode = null;
    var modeNode = f.value("mode");
    if (modeNode != null) {
      // nmstate also takes the kernel's mode numbers 0..6.
      var n = modeNode.isIntegralNumber() ? modeNode.asInt(-1) : -1;
      if (modeNode.isTextual() && modeNode.textValue().matches("[0-6]")) {
        n = Integer.parseInt(modeNode.textValue());
      }
      mode =
          n >= 0 && n < BondMode.values().length
              ? BondMode.values()[n]
              : ctx.choice(modeNode, f.path("mode"), BondMode.class);
    }
    Map<String, JsonNode> options = null;
    var o = f.object("options");
    if (o != null) {
      // nmstate also takes balance-slb for balance_slb (its only dashed bond option name).
      o.alias("balance_slb", "balance-slb");
      var all = new LinkedHashMap<>(o.all(InterfaceValidator.BOND_OPTIONS));
      var slb = all.remove("balance-slb");
      if (slb != null) {
        all.putIfAbsent("balance_slb", slb);
      }
      options = Collections.unmodifiableMap(all);
      o.finish();
    }
    var portKey = f.alias("port", "ports");
    var ports = f.strings(portKey);
    List<Interface.BondPortConfig> portsConfig = null;
    var items = f.list("ports-config");
    if (items != null) {
      portsConfig = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        var p = Fields.of(items.get(i), Problem.index(f.path("ports-config"), i), ctx);
        if (p == null) {
          portsConfig.add(new Interface.BondPortConfig(null, null, null));
          continue;
        }
        p.require("name", null);
        portsConfig.add(
            new Interface.BondPortConfig(
                p.string("name"), p.integer("priority"), p.integer("queue-id")));
        p.finish();
      }
    }
    return new BondConfig(mode, options, ports, f.finish(), frozen(portsConfig));
  }
}
