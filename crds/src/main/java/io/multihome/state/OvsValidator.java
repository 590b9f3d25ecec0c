package io.multihome.state;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Rules for nmstate's Open vSwitch parts: {@code ovs-bridge} (options, ports, VLANs, bonds), {@code
 * ovs-interface} (internal and patch ports; DPDK refused), {@code ovs-db} and {@code ovn}. What
 * Open vSwitch cannot hold (an MTU, MAC or IP on a bridge that exists only in OVSDB; IP on a patch
 * port) is refused here with its path rather than dropped, so every accepted field is applied.
 */
final class OvsValidator {
  static final Set<String> FAIL_MODES = Set.of("", "secure", "standalone");
  static final Set<String> DATAPATHS = Set.of("", "system", "netdev");

  private final StateValidator v;

  OvsValidator(StateValidator v) {
    this.v = v;
  }

  void bridge(Interface.OvsBridge b, String at) {
    var c = b.common();
    if (c.state() == InterfaceState.DOWN) {
      v.problem(
          Problem.child(at, "state"),
          "an OVS bridge has no down state (it exists only in OVSDB): use up, or absent to"
              + " remove it");
    }
    if (c.mtu() != null) {
      v.problem(
          Problem.child(at, "mtu"),
          "an OVS bridge has no MTU of its own: set mtu on an ovs-interface of the bridge");
    }
    if (c.macAddress() != null && !c.macAddress().isEmpty()) {
      v.problem(
          Problem.child(at, "mac-address"),
          "an OVS bridge cannot hold a MAC address: set it on an ovs-interface of the bridge");
    }
    noIp(c, at, "an OVS bridge has no IP (it exists only in OVSDB): put IP on an ovs-interface");
    noDevice(c, at, "an OVS bridge (it exists only in OVSDB): set it on an ovs-interface");
    if (c.controller() != null && !c.controller().isEmpty()) {
      v.problem(Problem.child(at, "controller"), "an OVS bridge cannot be a port of another");
    }
    ovsDb(c.ovsDb(), Problem.child(at, "ovs-db"));
    var cfg = b.bridge();
    if (cfg == null) {
      return;
    }
    var bp = Problem.child(at, "bridge");
    var o = cfg.options();
    if (o != null) {
      var op = Problem.child(bp, "options");
      if (o.stpTimers() != null) {
        for (var key : o.stpTimers().unsupported().keySet()) {
          v.problem(
              Problem.child(Problem.child(op, "stp"), key),
              "Open vSwitch bridges take no STP timers here; only stp.enabled is applied");
        }
      }
      if (Boolean.TRUE.equals(o.stp()) && Boolean.TRUE.equals(o.rstp())) {
        v.problem(Problem.child(op, "rstp"), "stp and rstp cannot both be enabled");
      }
      if (o.failMode() != null && !FAIL_MODES.contains(o.failMode())) {
        v.problem(
            Problem.child(op, "fail-mode"),
            "'" + o.failMode() + "' is not one of secure, standalone (or '' for the default)");
      }
      if (o.datapath() != null && !DATAPATHS.contains(o.datapath())) {
        v.problem(
            Problem.child(op, "datapath"),
            "'"
                + o.datapath()
                + "' is not one of system (kernel), netdev (userspace) or '' for the default");
      }
    }
    ports(c.name(), cfg, bp);
  }

  private void ports(String bridge, OvsBridgeConfig cfg, String bp) {
    if (cfg.port() == null) {
      return;
    }
    var seen = new HashMap<String, String>();
    for (int i = 0; i < cfg.port().size(); i++) {
      var p = cfg.port().get(i);
      var pp = Problem.index(Problem.child(bp, "port"), i);
      if (p == null) {
        continue;
      }
      if (p.name() != null) {
        claim(seen, p.name(), Problem.child(pp, "name"), "port");
        v.reference(Problem.child(pp, "name"), p.name(), "port");
      }
      if (p.vlan() != null) {
        vlan(p.vlan(), Problem.child(pp, "vlan"));
      }
      var bond = p.linkAggregation();
      if (bond == null) {
        continue;
      }
      var lp = Problem.child(pp, "link-aggregation");
      v.range(lp, "bond-updelay", bond.bondUpdelay(), 0, Integer.MAX_VALUE);
      v.range(lp, "bond-downdelay", bond.bondDowndelay(), 0, Integer.MAX_VALUE);
      ovsDb(bond.ovsDb(), Problem.child(lp, "ovs-db"));
      if (bond.port() == null) {
        continue;
      }
      if (bond.port().size() < 2 && !v.isTemplate(Problem.child(lp, "port"))) {
        v.problem(
            Problem.child(lp, "port"),
            "an OVS bond needs at least two ports (" + bond.port().size() + " given)");
      }
      for (int j = 0; j < bond.port().size(); j++) {
        var m = bond.port().get(j);
        var mp = Problem.child(Problem.index(Problem.child(lp, "port"), j), "name");
        if (m == null) {
          continue;
        }
        if (m.equals(bridge) || m.equals(p.name())) {
          v.problem(mp, "'" + m + "' cannot be a member of bond " + p.name());
          continue;
        }
        claim(seen, m, mp, "bond member");
        v.reference(mp, m, "bond port");
      }
    }
  }

  /** Each interface may sit in one port of one bridge. */
  private void claim(Map<String, String> seen, String name, String path, String what) {
    var first = seen.putIfAbsent(name, path);
    if (first != null) {
      v.problem(path, what + " '" + name + "' is already listed at " + first);
      return;
    }
    var other = v.ovsPortOwners.get(name);
    if (other != null && !other.equals(path)) {
      v.problem(path, "'" + name + "' is also a port at " + other);
    }
  }

  private void vlan(BridgeConfig.PortVlan vlan, String at) {
    new BridgeValidator(v).checkPortVlan(vlan, at);
    if (vlan.mode() == null && vlan.tag() != null && !v.isTemplate(Problem.child(at, "mode"))) {
      v.problem(Problem.child(at, "mode"), "a tag needs mode: access or trunk");
    }
  }

  void iface(Interface.OvsInterface i, String at) {
    var c = i.common();
    ovsDb(c.ovsDb(), Problem.child(at, "ovs-db"));
    if (i.dpdk() != null) {
      v.problem(
          Problem.child(at, "dpdk"),
          "DPDK ports are not supported: multihome runs Open vSwitch without DPDK (no"
              + " poll-mode threads, hugepages or vfio binding); use a system or internal port");
    }
    if (c.controller() != null && !c.controller().isEmpty()) {
      var ports = v.ovsBridgePorts.get(c.controller());
      if (ports == null && v.byName.containsKey(c.controller())) {
        v.problem(
            Problem.child(at, "controller"),
            "'" + c.controller() + "' is not an ovs-bridge of this document");
      } else if (ports != null && !ports.contains(c.name())) {
        v.problem(
            Problem.child(at, "controller"),
            "ovs-bridge '" + c.controller() + "' does not list " + c.name() + " in bridge.port");
      }
    }
    if (c.name() != null
        && !v.ovsPortOwners.containsKey(c.name())
        && !v.exists.test(c.name())
        && (c.controller() == null || c.controller().isEmpty())) {
      v.problem(
          Problem.child(at, "name"),
          "a new ovs-interface must be a port of an ovs-bridge: list "
              + c.name()
              + " under an ovs-bridge's bridge.port");
    }
    var patch = i.patch();
    if (patch == null) {
      if (c.options().pciAddress() != null) {
        v.problem(
            Problem.child(at, "pci-address"),
            "not applicable to an OVS internal port: only a PCI device has a PCI address");
      }
      return;
    }
    var pp = Problem.child(at, "patch");
    if (patch.peer() != null) {
      var bad = InterfaceValidator.nameProblem(patch.peer());
      if (bad != null) {
        v.problem(Problem.child(pp, "peer"), bad);
      } else if (patch.peer().equals(c.name())) {
        v.problem(Problem.child(pp, "peer"), "a patch port cannot be its own peer");
      }
    }
    if (c.mtu() != null) {
      v.problem(Problem.child(at, "mtu"), "an OVS patch port has no MTU (no kernel device)");
    }
    if (c.macAddress() != null) {
      v.problem(
          Problem.child(at, "mac-address"),
          "an OVS patch port has no MAC address (no kernel device)");
    }
    if (c.state() == InterfaceState.DOWN) {
      v.problem(Problem.child(at, "state"), "an OVS patch port has no down state: up or absent");
    }
    noIp(c, at, "an OVS patch port cannot hold IP (no kernel device)");
    noDevice(c, at, "an OVS patch port (no kernel device)");
  }

  /** Settings of a kernel device (or its addresses), which an OVS bridge or patch port lacks. */
  private void noDevice(Common c, String at, String what) {
    if (c.acceptAllMacAddresses() != null) {
      v.problem(
          Problem.child(at, "accept-all-mac-addresses"),
          "not applicable to " + what + ": accept-all-mac-addresses is a kernel device's");
    }
    if (c.mptcpAddressFlags() != null) {
      v.problem(
          Problem.child(Problem.child(at, "mptcp"), "address-flags"),
          "not applicable to " + what + ": MPTCP flags go on a kernel device's addresses");
    }
    if (c.lldpEnabled() != null) {
      v.problem(
          Problem.child(Problem.child(at, "lldp"), "enabled"),
          "not applicable to " + what + ": LLDP runs on a kernel device");
    }
    // The interface options that name or tune a kernel device (issue 19).
    var o = c.options();
    if (o.altNames() != null) {
      v.problem(
          Problem.child(at, "alt-names"),
          "not applicable to " + what + ": alternative names are a kernel device's");
    }
    if (o.ethtool() != null) {
      v.problem(
          Problem.child(at, "ethtool"),
          "not applicable to " + what + ": ethtool settings are a kernel device's");
    }
    if (o.pciAddress() != null) {
      v.problem(
          Problem.child(at, "pci-address"),
          "not applicable to " + what + ": only a PCI device has a PCI address");
    }
    if (o.dispatch() != null) {
      v.problem(
          Problem.child(at, "dispatch"),
          "not applicable to " + what + ": dispatch scripts run for kernel devices");
    }
  }

  private void noIp(Common c, String at, String why) {
    if (c.ipv4() != null && Boolean.TRUE.equals(c.ipv4().enabled())) {
      v.problem(Problem.child(Problem.child(at, "ipv4"), "enabled"), why);
    }
    if (c.ipv6() != null && Boolean.TRUE.equals(c.ipv6().enabled())) {
      v.problem(Problem.child(Problem.child(at, "ipv6"), "enabled"), why);
    }
  }

  private void ovsDb(OvsDb db, String at) {
    if (db == null) {
      return;
    }
    keys(db.externalIds(), Problem.child(at, "external_ids"));
    keys(db.otherConfig(), Problem.child(at, "other_config"));
  }

  private void keys(Map<String, String> m, String at) {
    if (m == null) {
      return;
    }
    for (var k : m.keySet()) {
      if (k.isEmpty()) {
        v.problem(at, "a key must not be empty");
      }
    }
  }

  /** The top-level {@code ovs-db} and {@code ovn} sections. */
  void global(DesiredState s) {
    var db = s.ovsDb();
    if (db != null) {
      ovsDb(db, "ovs-db");
      if (db.externalIds() != null && db.externalIds().containsKey(OvsDb.OVN_BRIDGE_MAPPINGS)) {
        v.problem(
            "ovs-db.external_ids." + OvsDb.OVN_BRIDGE_MAPPINGS,
            "reserved for OVN mappings: use the ovn.bridge-mappings section instead");
      }
    }
    var ovn = s.ovn();
    if (ovn == null || ovn.bridgeMappings() == null) {
      return;
    }
    var localnets = new HashSet<String>();
    for (int i = 0; i < ovn.bridgeMappings().size(); i++) {
      var m = ovn.bridgeMappings().get(i);
      var mp = Problem.index("ovn.bridge-mappings", i);
      if (m.localnet() != null) {
        if (m.localnet().isEmpty() || m.localnet().contains(":") || m.localnet().contains(",")) {
          v.problem(
              Problem.child(mp, "localnet"),
              "'" + m.localnet() + "' must be non-empty without ':' or ','");
        } else if (!localnets.add(m.localnet())) {
          v.problem(
              Problem.child(mp, "localnet"), "localnet '" + m.localnet() + "' is listed twice");
        }
      }
      if (m.bridge() != null && !m.absent()) {
        var bad = InterfaceValidator.nameProblem(m.bridge());
        if (bad != null || m.bridge().contains(",")) {
          v.problem(Problem.child(mp, "bridge"), bad != null ? bad : "must not contain ','");
        }
        v.reference(Problem.child(mp, "bridge"), m.bridge(), "bridge");
      }
    }
  }
}
