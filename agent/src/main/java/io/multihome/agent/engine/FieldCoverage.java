package io.multihome.agent.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.state.DesiredState;
import io.multihome.state.Interface;
import io.multihome.state.InterfaceState;
import io.multihome.state.ModelFields;
import io.multihome.state.Problem;
import io.multihome.state.StateWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the engine does with each key of the desired-state model ({@link ModelFields}), declared in
 * one table. A key a document gives that the table does not declare is refused at its path before
 * anything changes, so a key the model accepts can never be silently skipped: a new model key (or
 * kind) is refused by the engine until its planner and its {@code show} support are added and the
 * key is declared here ({@code FieldCoverageTest} lists what is undeclared).
 */
final class FieldCoverage {

  /** How the engine covers a key. */
  enum Handling {
    /** Planned when it differs, and compared with what {@code show} reads after apply. */
    APPLIED,
    /**
     * Planned when it differs; verified by planning again (the planner's own comparison knows the
     * normal forms: address and port lists, port VLANs, routes, rules, DNS).
     */
    PLANNED,
    /** Never changed: it must already be so (refused before apply, compared after it). */
    CHECKED,
    /** nmstate ignores it on apply too (a description, DHCP-only tuning while DHCP is off). */
    IGNORED
  }

  private static final String I = "interfaces[].";

  /** Keys by schema path; a path ending in {@code .*} covers its whole subtree. */
  static final Map<String, Handling> DECLARED =
      Map.ofEntries(
          Map.entry("description", Handling.IGNORED),
          Map.entry("interfaces", Handling.PLANNED),
          // The running name in the node's UTS namespace, the static one in its host name file.
          Map.entry("hostname.config", Handling.PLANNED),
          Map.entry("hostname.running", Handling.PLANNED),
          Map.entry(I + "name", Handling.PLANNED),
          Map.entry(I + "type", Handling.PLANNED),
          Map.entry(I + "state", Handling.PLANNED),
          Map.entry(I + "mtu", Handling.APPLIED),
          Map.entry(I + "mac-address", Handling.APPLIED),
          Map.entry(I + "description", Handling.APPLIED),
          Map.entry(I + "controller", Handling.PLANNED),
          Map.entry(I + "accept-all-mac-addresses", Handling.APPLIED),
          // Kept in the state directory; the agent's LLDP listener runs where it is true.
          Map.entry(I + "lldp.enabled", Handling.APPLIED),
          // Found by MAC or PCI address (or kept profile name) before planning; the profile is
          // kept in the state directory and re-planned.
          Map.entry(I + "identifier", Handling.PLANNED),
          Map.entry(I + "profile-name", Handling.PLANNED),
          Map.entry(I + "pci-address", Handling.PLANNED),
          // Resolved into mac-address, which is applied and compared.
          Map.entry(I + "copy-mac-from", Handling.PLANNED),
          // Added and removed one by one (RTM_NEWLINKPROP/DELLINKPROP); names not listed stay.
          Map.entry(I + "alt-names", Handling.PLANNED),
          Map.entry(I + "alt-names[].name", Handling.PLANNED),
          Map.entry(I + "alt-names[].state", Handling.PLANNED),
          // ethtool netlink: a feature is compared with the kernel's active set by the planner
          // (fixed features are not shown); the other sections are shown where the driver has
          // them, and refused where it has not.
          Map.entry(I + "ethtool.feature.*", Handling.PLANNED),
          Map.entry(I + "ethtool.pause.autoneg", Handling.APPLIED),
          Map.entry(I + "ethtool.pause.rx", Handling.APPLIED),
          Map.entry(I + "ethtool.pause.tx", Handling.APPLIED),
          Map.entry(I + "ethtool.ring.rx", Handling.APPLIED),
          Map.entry(I + "ethtool.ring.rx-jumbo", Handling.APPLIED),
          Map.entry(I + "ethtool.ring.rx-mini", Handling.APPLIED),
          Map.entry(I + "ethtool.ring.tx", Handling.APPLIED),
          Map.entry(I + "ethtool.coalesce.*", Handling.APPLIED),
          // Kept in the state directory and run after apply (a failure rolls back).
          // Run by the agent's supplicant service (PortAuth); verification waits for the
          // authentication and plans again against the configurations in effect.
          Map.entry(I + "802.1x.*", Handling.PLANNED),
          Map.entry(I + "dispatch.post-activation", Handling.APPLIED),
          Map.entry(I + "dispatch.post-deactivation", Handling.APPLIED),
          ip("ipv6", "addr-gen-mode", Handling.CHECKED),
          // IP: the address list is replaced (planner); DHCP and autoconf and their tuning keys
          // are settings of the agent's DHCP service (DynamicIpPlanner compares them; a lease is
          // awaited when verifying).
          ip("ipv4", "enabled", Handling.PLANNED),
          ip("ipv4", "dhcp", Handling.PLANNED),
          ip("ipv4", "address", Handling.PLANNED),
          ip("ipv4", "address[].ip", Handling.PLANNED),
          ip("ipv4", "address[].prefix-length", Handling.PLANNED),
          ip("ipv4", "auto-dns", Handling.PLANNED),
          ip("ipv4", "auto-gateway", Handling.PLANNED),
          ip("ipv4", "auto-routes", Handling.PLANNED),
          ip("ipv4", "auto-route-table-id", Handling.PLANNED),
          ip("ipv4", "auto-route-metric", Handling.PLANNED),
          ip("ipv4", "dhcp-client-id", Handling.PLANNED),
          // Validation refuses these two in the wrong family, as nmstate does.
          ip("ipv4", "dhcp-duid", Handling.IGNORED),
          ip("ipv6", "dhcp-client-id", Handling.IGNORED),
          ip("ipv6", "enabled", Handling.PLANNED),
          ip("ipv6", "dhcp", Handling.PLANNED),
          ip("ipv6", "autoconf", Handling.PLANNED),
          ip("ipv6", "address", Handling.PLANNED),
          ip("ipv6", "address[].ip", Handling.PLANNED),
          ip("ipv6", "address[].prefix-length", Handling.PLANNED),
          ip("ipv6", "auto-dns", Handling.PLANNED),
          ip("ipv6", "auto-gateway", Handling.PLANNED),
          ip("ipv6", "auto-routes", Handling.PLANNED),
          ip("ipv6", "auto-route-table-id", Handling.PLANNED),
          ip("ipv6", "auto-route-metric", Handling.PLANNED),
          ip("ipv6", "dhcp-duid", Handling.PLANNED),
          // Link settings are read over ethtool netlink; the engine does not set them (a veth
          // refuses, a NIC may renegotiate): equal is fine, different is refused.
          Map.entry(I + "ethernet.speed", Handling.CHECKED),
          Map.entry(I + "ethernet.duplex", Handling.CHECKED),
          Map.entry(I + "ethernet.auto-negotiation", Handling.CHECKED),
          // SR-IOV: SriovPlanner compares each VF setting itself.
          Map.entry(I + "ethernet.sr-iov.total-vfs", Handling.PLANNED),
          Map.entry(I + "ethernet.sr-iov.drivers-autoprobe", Handling.PLANNED),
          Map.entry(I + "ethernet.sr-iov.vfs", Handling.PLANNED),
          Map.entry(I + "ethernet.sr-iov.vfs[].id", Handling.PLANNED),
          Map.entry(I + "ethernet.sr-iov.vfs[].mac-address", Handling.PLANNED),
          Map.entry(I + "ethernet.sr-iov.vfs[].spoof-check", Handling.PLANNED),
          Map.entry(I + "ethernet.sr-iov.vfs[].trust", Handling.PLANNED),
          Map.entry(I + "ethernet.sr-iov.vfs[].min-tx-rate", Handling.PLANNED),
          Map.entry(I + "ethernet.sr-iov.vfs[].max-tx-rate", Handling.PLANNED),
          Map.entry(I + "ethernet.sr-iov.vfs[].vlan-id", Handling.PLANNED),
          Map.entry(I + "ethernet.sr-iov.vfs[].qos", Handling.PLANNED),
          Map.entry(I + "ethernet.sr-iov.vfs[].vlan-proto", Handling.PLANNED),
          Map.entry(I + "bridge.options.stp.enabled", Handling.APPLIED),
          Map.entry(I + "bridge.options.stp.forward-delay", Handling.APPLIED),
          Map.entry(I + "bridge.options.stp.hello-time", Handling.APPLIED),
          Map.entry(I + "bridge.options.stp.max-age", Handling.APPLIED),
          Map.entry(I + "bridge.options.stp.priority", Handling.APPLIED),
          Map.entry(I + "bridge.options.mac-ageing-time", Handling.APPLIED),
          Map.entry(I + "bridge.options.multicast-snooping", Handling.APPLIED),
          Map.entry(I + "bridge.options.group-fwd-mask", Handling.APPLIED),
          Map.entry(I + "bridge.options.group-addr", Handling.APPLIED),
          Map.entry(I + "bridge.options.hash-max", Handling.APPLIED),
          Map.entry(I + "bridge.options.multicast-last-member-count", Handling.APPLIED),
          Map.entry(I + "bridge.options.multicast-last-member-interval", Handling.APPLIED),
          Map.entry(I + "bridge.options.multicast-membership-interval", Handling.APPLIED),
          Map.entry(I + "bridge.options.multicast-querier", Handling.APPLIED),
          Map.entry(I + "bridge.options.multicast-querier-interval", Handling.APPLIED),
          Map.entry(I + "bridge.options.multicast-query-interval", Handling.APPLIED),
          Map.entry(I + "bridge.options.multicast-query-response-interval", Handling.APPLIED),
          Map.entry(I + "bridge.options.multicast-query-use-ifaddr", Handling.APPLIED),
          Map.entry(I + "bridge.options.multicast-router", Handling.APPLIED),
          Map.entry(I + "bridge.options.multicast-startup-query-count", Handling.APPLIED),
          Map.entry(I + "bridge.options.multicast-startup-query-interval", Handling.APPLIED),
          // The kernel reports these only when it has bridge VLAN filtering; without it the
          // comparison after apply finds them missing and the apply rolls back.
          Map.entry(I + "bridge.options.vlan-protocol", Handling.APPLIED),
          Map.entry(I + "bridge.options.vlan-default-pvid", Handling.APPLIED),
          Map.entry(I + "bridge.port", Handling.PLANNED),
          Map.entry(I + "bridge.port[].name", Handling.PLANNED),
          Map.entry(I + "bridge.port[].stp-hairpin-mode", Handling.APPLIED),
          Map.entry(I + "bridge.port[].stp-path-cost", Handling.APPLIED),
          Map.entry(I + "bridge.port[].stp-priority", Handling.APPLIED),
          Map.entry(I + "bridge.port[].vlan.*", Handling.PLANNED),
          Map.entry(I + "vlan.base-iface", Handling.APPLIED),
          Map.entry(I + "vlan.id", Handling.APPLIED),
          Map.entry(I + "vlan.protocol", Handling.APPLIED),
          Map.entry(I + "veth.peer", Handling.APPLIED),
          Map.entry(I + "mac-vlan.base-iface", Handling.APPLIED),
          Map.entry(I + "mac-vlan.mode", Handling.APPLIED),
          Map.entry(I + "mac-vlan.promiscuous", Handling.APPLIED),
          Map.entry(I + "mac-vtap.promiscuous", Handling.APPLIED),
          Map.entry(I + "mac-vtap.base-iface", Handling.APPLIED),
          Map.entry(I + "mac-vtap.mode", Handling.APPLIED),
          Map.entry(I + "vxlan.base-iface", Handling.APPLIED),
          Map.entry(I + "vxlan.id", Handling.APPLIED),
          Map.entry(I + "vxlan.remote", Handling.APPLIED),
          Map.entry(I + "vxlan.local", Handling.APPLIED),
          Map.entry(I + "vxlan.learning", Handling.APPLIED),
          Map.entry(I + "vxlan.destination-port", Handling.APPLIED),
          Map.entry(I + "link-aggregation.mode", Handling.APPLIED),
          Map.entry(I + "link-aggregation.port", Handling.PLANNED),
          Map.entry(I + "link-aggregation.options.miimon", Handling.APPLIED),
          Map.entry(I + "link-aggregation.options.updelay", Handling.APPLIED),
          Map.entry(I + "link-aggregation.options.downdelay", Handling.APPLIED),
          Map.entry(I + "link-aggregation.options.primary", Handling.APPLIED),
          Map.entry(I + "link-aggregation.options.xmit_hash_policy", Handling.PLANNED),
          Map.entry(I + "link-aggregation.options.lacp_rate", Handling.PLANNED),
          Map.entry(I + "link-aggregation.options.min_links", Handling.PLANNED),
          // The other bond options: BondMapping compares their canonical text (address lists,
          // MACs, enum names) and the plan is repeated after apply.
          bond("use_carrier"),
          bond("arp_interval"),
          bond("arp_ip_target"),
          bond("arp_validate"),
          bond("arp_all_targets"),
          bond("primary_reselect"),
          bond("fail_over_mac"),
          bond("resend_igmp"),
          bond("num_grat_arp"),
          bond("num_unsol_na"),
          bond("all_slaves_active"),
          bond("lp_interval"),
          bond("packets_per_slave"),
          bond("ad_select"),
          bond("ad_actor_sys_prio"),
          bond("ad_user_port_key"),
          bond("ad_actor_system"),
          bond("tlb_dynamic_lb"),
          bond("peer_notif_delay"),
          bond("lacp_active"),
          bond("arp_missed_max"),
          bond("ns_ip6_target"),
          // ipsec connections: rendered by IpsecPlanner, applied through the engine's IPsec
          // service (a private pluto), refused before anything changes without one.
          Map.entry(I + "libreswan.*", Handling.PLANNED),
          // An nftables table (BondSlb), compared with its rendering when planning again.
          bond("balance_slb"),
          Map.entry(I + "link-aggregation.ports-config", Handling.PLANNED),
          Map.entry(I + "link-aggregation.ports-config[].name", Handling.PLANNED),
          Map.entry(I + "link-aggregation.ports-config[].priority", Handling.PLANNED),
          Map.entry(I + "link-aggregation.ports-config[].queue-id", Handling.PLANNED),
          Map.entry(I + "vrf.port", Handling.PLANNED),
          Map.entry(I + "vrf.route-table-id", Handling.APPLIED),
          Map.entry(I + "ipvlan.base-iface", Handling.APPLIED),
          Map.entry(I + "ipvlan.mode", Handling.APPLIED),
          Map.entry(I + "ipvlan.private", Handling.APPLIED),
          Map.entry(I + "ipvlan.vepa", Handling.APPLIED),
          Map.entry(I + "hsr.port1", Handling.APPLIED),
          Map.entry(I + "hsr.port2", Handling.APPLIED),
          Map.entry(I + "hsr.multicast-spec", Handling.APPLIED),
          Map.entry(I + "hsr.protocol", Handling.APPLIED),
          // MACsec Key Agreement: the supplicant service (PortAuth) runs it on the base
          // interface; verification waits until the link is secured and plans again.
          Map.entry(I + "macsec.mka-cak", Handling.PLANNED),
          Map.entry(I + "macsec.mka-ckn", Handling.PLANNED),
          Map.entry(I + "macsec.base-iface", Handling.APPLIED),
          Map.entry(I + "macsec.encrypt", Handling.APPLIED),
          Map.entry(I + "macsec.send-sci", Handling.APPLIED),
          Map.entry(I + "macsec.validation", Handling.APPLIED),
          Map.entry(I + "macsec.offload", Handling.APPLIED),
          // Port 0 means the kernel's default (1): the planner knows it.
          Map.entry(I + "macsec.port", Handling.PLANNED),
          // Creating or changing IPoIB is refused by the planner; an equal existing one passes.
          Map.entry(I + "infiniband.base-iface", Handling.PLANNED),
          Map.entry(I + "infiniband.mode", Handling.PLANNED),
          Map.entry(I + "infiniband.pkey", Handling.PLANNED),
          ip("ipv4", "forwarding", Handling.APPLIED),
          Map.entry(I + "mptcp.address-flags", Handling.PLANNED),
          Map.entry("routes.config[].weight", Handling.PLANNED),
          Map.entry("routes.config[].cwnd", Handling.PLANNED),
          Map.entry("routes.config[].initcwnd", Handling.PLANNED),
          Map.entry("routes.config[].initrwnd", Handling.PLANNED),
          Map.entry("routes.config[].advmss", Handling.PLANNED),
          Map.entry("routes.config[].quickack", Handling.PLANNED),
          Map.entry("routes.config[].lock-mtu", Handling.PLANNED),
          Map.entry("routes.config[].vrf-name", Handling.PLANNED),
          Map.entry("routes.config", Handling.PLANNED),
          Map.entry("routes.config[].state", Handling.PLANNED),
          Map.entry("routes.config[].destination", Handling.PLANNED),
          Map.entry("routes.config[].next-hop-interface", Handling.PLANNED),
          Map.entry("routes.config[].next-hop-address", Handling.PLANNED),
          Map.entry("routes.config[].metric", Handling.PLANNED),
          Map.entry("routes.config[].table-id", Handling.PLANNED),
          Map.entry("routes.config[].route-type", Handling.PLANNED),
          Map.entry("routes.config[].source", Handling.PLANNED),
          Map.entry("routes.config[].mtu", Handling.PLANNED),
          Map.entry("route-rules.config", Handling.PLANNED),
          Map.entry("route-rules.config[].state", Handling.PLANNED),
          Map.entry("route-rules.config[].family", Handling.PLANNED),
          Map.entry("route-rules.config[].ip-from", Handling.PLANNED),
          Map.entry("route-rules.config[].ip-to", Handling.PLANNED),
          Map.entry("route-rules.config[].priority", Handling.PLANNED),
          Map.entry("route-rules.config[].route-table", Handling.PLANNED),
          Map.entry("route-rules.config[].fwmark", Handling.PLANNED),
          Map.entry("route-rules.config[].fwmask", Handling.PLANNED),
          Map.entry("route-rules.config[].iif", Handling.PLANNED),
          Map.entry("route-rules.config[].action", Handling.PLANNED),
          // Open vSwitch: OvsPlanner compares every key with the switch (the verification plans
          // again); the bridge options and a patch peer are also compared with what show prints.
          // The string maps replace (a row's) or merge (the global ones) as nmstate does.
          Map.entry("ovs-db.*", Handling.PLANNED),
          Map.entry("ovn.bridge-mappings", Handling.PLANNED),
          Map.entry("ovn.bridge-mappings[].localnet", Handling.PLANNED),
          Map.entry("ovn.bridge-mappings[].bridge", Handling.PLANNED),
          Map.entry("ovn.bridge-mappings[].state", Handling.PLANNED),
          Map.entry(I + "ovs-db.*", Handling.PLANNED),
          Map.entry(I + "patch.peer", Handling.APPLIED),
          Map.entry(I + "bridge.allow-extra-patch-ports", Handling.PLANNED),
          // stp as a scalar is the ovs-bridge spelling (linux-bridge writes stp.enabled).
          Map.entry(I + "bridge.options.stp", Handling.APPLIED),
          Map.entry(I + "bridge.options.rstp", Handling.APPLIED),
          Map.entry(I + "bridge.options.mcast-snooping-enable", Handling.APPLIED),
          Map.entry(I + "bridge.options.fail-mode", Handling.APPLIED),
          Map.entry(I + "bridge.options.datapath", Handling.APPLIED),
          Map.entry(I + "bridge.port[].link-aggregation.mode", Handling.PLANNED),
          Map.entry(I + "bridge.port[].link-aggregation.port", Handling.PLANNED),
          Map.entry(I + "bridge.port[].link-aggregation.port[].name", Handling.PLANNED),
          Map.entry(I + "bridge.port[].link-aggregation.bond-updelay", Handling.PLANNED),
          Map.entry(I + "bridge.port[].link-aggregation.bond-downdelay", Handling.PLANNED),
          Map.entry(I + "bridge.port[].link-aggregation.ovs-db.*", Handling.PLANNED),
          Map.entry("dns-resolver.config.server", Handling.PLANNED),
          Map.entry("dns-resolver.config.search", Handling.PLANNED),
          Map.entry("dns-resolver.config.options", Handling.PLANNED));

  private FieldCoverage() {}

  private static Map.Entry<String, Handling> bond(String option) {
    return Map.entry(I + "link-aggregation.options." + option, Handling.PLANNED);
  }

  private static Map.Entry<String, Handling> ip(String family, String key, Handling h) {
    return Map.entry(I + family + "." + key, h);
  }

  /**
   * The handling of the key at {@code schemaPath}: declared here (exactly, or by a {@code .*}
   * ancestor), {@link Handling#IGNORED} for what the model knows as query-only (nmstate ignores
   * those on apply), an alias as its canonical key; null when the engine does not cover it.
   */
  private static final Map<String, java.util.Optional<Handling>> RESOLVED =
      new java.util.concurrent.ConcurrentHashMap<>();

  static Handling of(String schemaPath) {
    // A plan asks for the same few schema paths once per interface: resolve each once.
    return RESOLVED
        .computeIfAbsent(schemaPath, p -> java.util.Optional.ofNullable(resolve(p)))
        .orElse(null);
  }

  private static Handling resolve(String schemaPath) {
    var h = DECLARED.get(schemaPath);
    if (h != null) {
      return h;
    }
    var model = ModelFields.enumerate();
    for (var p = schemaPath; p != null; p = parent(p)) {
      h = DECLARED.get(p + ".*");
      if (h != null) {
        return h;
      }
      var f = model.get(p);
      if (f != null && f.category() == ModelFields.Category.QUERY_ONLY) {
        return Handling.IGNORED;
      }
    }
    return null;
  }

  /** {@code a.b[].c} → {@code a.b[]}; {@code a.b[]} → {@code a.b}; {@code a} → null. */
  private static String parent(String schemaPath) {
    if (schemaPath.endsWith("[]")) {
      return schemaPath.substring(0, schemaPath.length() - 2);
    }
    int dot = schemaPath.lastIndexOf('.');
    return dot < 0 ? null : schemaPath.substring(0, dot);
  }

  /**
   * Where to refuse a key: a key inside a tree the model keeps verbatim (ethtool, ...) is refused
   * once, at that tree.
   */
  private static String refusalRoot(String path) {
    var model = ModelFields.enumerate();
    String root = path;
    for (var p = path; p != null; p = parentConcrete(p)) {
      var f = model.get(ModelFields.schemaPath(p));
      if (f != null && f.shape() == ModelFields.Shape.RAW) {
        root = p;
      }
    }
    return root;
  }

  private static String parentConcrete(String path) {
    if (path.endsWith("]")) {
      return path.substring(0, path.lastIndexOf('['));
    }
    int dot = path.lastIndexOf('.');
    return dot < 0 ? null : path.substring(0, dot);
  }

  /**
   * One problem per key of {@code desired} the engine does not cover, at the key's path (by
   * interface position, as validation names it). Interfaces removed or ignored count only by name
   * (nmstate reads nothing else of them); kinds the engine refuses whole are left to that refusal.
   */
  static List<Problem> refusals(DesiredState desired) {
    return scan(desired).refusals();
  }

  /** What one pass over a desired state finds: keys to refuse, and whether any key is checked. */
  record Scan(List<Problem> refusals, boolean anyChecked) {}

  static Scan scan(DesiredState desired) {
    var checked = new boolean[1];
    var problems = new ArrayList<Problem>();
    var refused = new java.util.HashSet<String>();
    var tree = StateWriter.toTree(desired);
    var ifaces = desired.interfacesOrEmpty();
    ModelFields.walk(
        tree,
        (path, node) -> {
          if (node.isObject() || skipped(path, ifaces)) {
            return;
          }
          var h = of(ModelFields.schemaPath(path));
          if (h == null) {
            var at = refusalRoot(path);
            if (refused.add(at)) {
              problems.add(new Problem(at, refusal(at, node)));
            }
          } else if (h == Handling.CHECKED) {
            checked[0] = true;
          }
        });
    return new Scan(problems, checked[0]);
  }

  private static String refusal(String path, JsonNode node) {
    var key = path.substring(path.lastIndexOf('.') + 1);
    return "'"
        + key
        + "' is valid nmstate but the engine does not apply it yet; leave it out (nothing was"
        + " changed)";
  }

  /** Keys of an interface that is removed, ignored or of a kind the engine refuses whole. */
  private static boolean skipped(String path, List<Interface> ifaces) {
    if (!path.startsWith("interfaces[")) {
      return false;
    }
    int close = path.indexOf(']');
    int i = Integer.parseInt(path.substring("interfaces[".length(), close));
    if (i >= ifaces.size()) {
      return false;
    }
    var iface = ifaces.get(i);
    var state = iface.common().effectiveState();
    if (iface instanceof Interface.Unsupported) {
      return true;
    }
    if (state == InterfaceState.ABSENT || state == InterfaceState.IGNORE) {
      var rest = path.substring(close + 1);
      return !rest.equals(".name") && !rest.equals(".type") && !rest.equals(".state");
    }
    return false;
  }
}
