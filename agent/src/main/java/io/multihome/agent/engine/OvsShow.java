package io.multihome.agent.engine;

import io.multihome.agent.ovsdb.BridgeRow;
import io.multihome.agent.ovsdb.InterfaceRow;
import io.multihome.agent.ovsdb.PortRow;
import io.multihome.agent.ovsdb.SwitchState;
import io.multihome.state.Common;
import io.multihome.state.Extras;
import io.multihome.state.Interface;
import io.multihome.state.InterfaceOptions;
import io.multihome.state.InterfaceState;
import io.multihome.state.InterfaceType;
import io.multihome.state.IpConfig;
import io.multihome.state.OvnConfig;
import io.multihome.state.OvsBridgeConfig;
import io.multihome.state.OvsDb;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The Open vSwitch part of {@code show}, as nmstate reports it: each bridge as an {@code
 * ovs-bridge} (options, ports with VLANs and bonds, ovs-db), each internal port's kernel device as
 * an {@code ovs-interface} whose controller is its bridge, patch ports as {@code ovs-interface}
 * with {@code patch.peer}, system ports with their bridge as controller, and the global {@code
 * ovs-db} and {@code ovn.bridge-mappings}. Applying what it prints changes nothing.
 */
final class OvsShow {
  private OvsShow() {}

  /** Rewrites the kernel entries OVS owns and adds the OVS-only ones to {@code ifaces}. */
  static void interfaces(Snapshot s, List<Interface> ifaces, Predicate<String> wanted) {
    var sw = s.ovs() == null ? null : s.ovs().state();
    if (sw == null) {
      return;
    }
    var links = s.byName();
    var addrs = s.addressesByIndex();
    var byName = new LinkedHashMap<String, Integer>();
    for (int i = 0; i < ifaces.size(); i++) {
      byName.putIfAbsent(ifaces.get(i).name(), i);
    }
    for (var b : sw.bridgeList()) {
      if (wanted.test(b.name())) {
        ifaces.add(bridge(sw, b));
      }
      for (var p : sw.portsOf(b)) {
        for (var row : sw.interfacesOf(p)) {
          if (!wanted.test(row.name())) {
            continue;
          }
          var at = byName.get(row.name());
          var kernel = at == null ? null : ifaces.get(at);
          var link = links.get(row.name());
          var shown =
              iface(
                  b.name(),
                  row,
                  kernel,
                  link,
                  link == null ? List.of() : addrs.getOrDefault(link.index(), List.of()));
          if (shown == null) {
            continue;
          }
          if (at != null) {
            ifaces.set(at, shown);
          } else {
            ifaces.add(shown);
          }
        }
      }
    }
  }

  private static Interface bridge(SwitchState sw, BridgeRow b) {
    var ports = new ArrayList<OvsBridgeConfig.Port>();
    for (var p : sw.portsOf(b)) {
      ports.add(port(sw, p));
    }
    // nmstate's order: plain ports, then bonds, each by name.
    ports.sort(
        Comparator.comparing((OvsBridgeConfig.Port p) -> p.linkAggregation() != null)
            .thenComparing(OvsBridgeConfig.Port::name));
    var options =
        new OvsBridgeConfig.Options(
            b.stpEnable(),
            null,
            b.rstpEnable(),
            b.mcastSnoopingEnable(),
            b.failMode() == null ? "" : b.failMode(),
            b.datapathType());
    var ext = new LinkedHashMap<>(b.externalIds());
    var description = ext.remove(OvsColumns.DESCRIPTION_KEY);
    var common =
        Common.builder(b.name(), InterfaceType.OVS_BRIDGE, InterfaceState.UP)
            .description(description)
            .ovsDb(new OvsDb(sorted(ext), sorted(b.otherConfig())))
            .build();
    return new Interface.OvsBridge(common, new OvsBridgeConfig(null, options, ports));
  }

  private static OvsBridgeConfig.Port port(SwitchState sw, PortRow p) {
    var vlan = OvsMapping.vlanOf(p.vlanMode(), p.tag(), p.trunks());
    var members = sw.interfacesOf(p);
    if (members.size() < 2) {
      return new OvsBridgeConfig.Port(p.name(), vlan, null);
    }
    var names = members.stream().map(InterfaceRow::name).sorted().toList();
    var db =
        p.externalIds().isEmpty() && p.otherConfig().isEmpty()
            ? null
            : new OvsDb(sorted(p.externalIds()), sorted(p.otherConfig()));
    var bond =
        new OvsBridgeConfig.Bond(
            OvsMapping.bondModeOf(p.bondMode(), p.lacp()),
            names,
            p.bondUpdelay() == 0 ? null : (int) p.bondUpdelay(),
            p.bondDowndelay() == 0 ? null : (int) p.bondDowndelay(),
            db);
    return new OvsBridgeConfig.Port(p.name(), vlan, bond);
  }

  /** How an interface of bridge {@code bridge} is shown, or null to leave it as it is. */
  private static Interface iface(
      String bridge,
      InterfaceRow row,
      Interface kernel,
      NodeLink link,
      List<io.multihome.agent.netlink.Address> addrs) {
    var ext = new LinkedHashMap<>(row.externalIds());
    var description = ext.remove(OvsColumns.DESCRIPTION_KEY);
    var db =
        ext.isEmpty() && row.otherConfig().isEmpty()
            ? null
            : new OvsDb(sorted(ext), sorted(row.otherConfig()));
    switch (row.type()) {
      case "patch" -> {
        var c =
            Common.builder(row.name(), InterfaceType.OVS_INTERFACE, InterfaceState.UP)
                .description(description)
                .controller(bridge)
                .ovsDb(db)
                .build();
        return new Interface.OvsInterface(
            c, new Interface.OvsPatchConfig(row.options().get("peer")), null);
      }
      case "internal" -> {
        if (kernel == null || link == null) {
          return null; // no device (ovs-vswitchd not running): nothing the kernel can show
        }
        var k = kernel.common();
        // An internal port carries IP like any interface, although the kernel datapath makes
        // it a port of ovs-system.
        var c =
            new Common(
                k.name(),
                InterfaceType.OVS_INTERFACE,
                link.link().isUp() ? InterfaceState.UP : InterfaceState.DOWN,
                k.mtu(),
                k.macAddress(),
                k.description(),
                bridge,
                StateReader.ipv4(addrs, false, link.facts().forwarding()),
                StateReader.ipv6(link, addrs, false),
                Extras.NONE,
                k.acceptAllMacAddresses(),
                k.lldpEnabled(),
                k.mptcpAddressFlags(),
                db,
                InterfaceOptions.NONE);
        return new Interface.OvsInterface(c, null, null);
      }
      default -> {
        if (kernel == null || !row.isSystem()) {
          return null;
        }
        var k = kernel.common();
        var ipv4 =
            k.ipv4() != null && k.ipv4().address() != null && !k.ipv4().address().isEmpty()
                ? k.ipv4()
                : IpConfig.of(false, null, null, null);
        var c =
            k.toBuilder()
                .controller(bridge)
                .ipv4(ipv4)
                .ipv6(
                    k.ipv6() != null && Boolean.FALSE.equals(k.ipv6().enabled()) ? k.ipv6() : null)
                .ovsDb(db)
                .options(InterfaceOptions.NONE)
                .build();
        return ShowReader.withCommon(kernel, c);
      }
    }
  }

  private static Map<String, String> sorted(Map<String, String> m) {
    return new java.util.TreeMap<>(m);
  }

  /** The global {@code ovs-db} (without the OVN key) when Open vSwitch runs, else null. */
  static OvsDb ovsDb(Snapshot s) {
    var sw = s.ovs() == null ? null : s.ovs().state();
    if (sw == null) {
      return null;
    }
    var ext = new java.util.TreeMap<>(sw.root().externalIds());
    ext.remove(OvsDb.OVN_BRIDGE_MAPPINGS);
    return new OvsDb(ext, sorted(sw.root().otherConfig()));
  }

  /** {@code ovn.bridge-mappings} when the node has any, else null. */
  static OvnConfig ovn(Snapshot s) {
    var sw = s.ovs() == null ? null : s.ovs().state();
    if (sw == null) {
      return null;
    }
    var m = OvsMapping.parseMappings(sw.root().externalIds().get(OvsDb.OVN_BRIDGE_MAPPINGS), null);
    if (m.isEmpty()) {
      return null;
    }
    var list = new ArrayList<OvnConfig.BridgeMapping>();
    m.forEach((k, v) -> list.add(new OvnConfig.BridgeMapping(k, v, false)));
    return new OvnConfig(list);
  }
}
