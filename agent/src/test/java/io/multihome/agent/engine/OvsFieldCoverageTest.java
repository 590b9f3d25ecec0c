package io.multihome.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.netlink.Rtnl;
import io.multihome.agent.ovsdb.InterfaceRow;
import io.multihome.agent.ovsdb.PortRow;
import io.multihome.state.InterfaceType;
import io.multihome.state.ModelFields;
import io.multihome.state.Problem;
import io.multihome.state.StateParser;
import io.multihome.state.StateValidator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Open vSwitch part of the field coverage ({@link FieldCoverage}, {@code FieldCoverageTest}):
 * {@code FieldCoverageTest} proves every accepted key is declared or refused; this test proves, for
 * the keys the parser reads only for the OVS kinds (learnt from the parser by {@link
 * ModelFields#enumerate(InterfaceType)}, not listed here) and for each common key on each OVS kind
 * (bridge, internal port, patch port), what the declaration claims: an "applied" case makes the
 * plan against a made-up switch without it carry a change at the key's path (verification is that
 * comparison re-run), a "refused" case is reported at its path by validation or planning (a key
 * Open vSwitch cannot hold on that kind, or one {@link FieldCoverage} does not cover). A key the
 * parser learns for an OVS kind without a case here fails {@link #everyOvsKeyHasACase}.
 */
class OvsFieldCoverageTest {

  /** The OVS kinds each common key is covered for (a patch port is an ovs-interface too). */
  static final List<String> KINDS = List.of("ovs-bridge", "ovs-interface", "ovs-patch");

  private static final List<InterfaceType> OVS_TYPES =
      List.of(InterfaceType.OVS_BRIDGE, InterfaceType.OVS_INTERFACE);

  /**
   * {@code applied}: no problem, and the plan has a change whose path contains {@code path}; {@code
   * refused}: a problem path contains it; {@code identity}: keys that name or select the entry
   * (covered by every other case).
   */
  record Case(String yaml, String path, String how) {}

  static Case applied(String yaml, String path) {
    return new Case(yaml, path, "applied");
  }

  static Case refused(String yaml, String path) {
    return new Case(yaml, path, "refused");
  }

  static Case identity() {
    return new Case(null, null, "identity");
  }

  /**
   * Where the planned node keeps what the kernel has no place for (dispatch scripts, LLDP): only
   * planned here, never written.
   */
  private static final NodeExtras KEPT =
      new NodeExtras(
          Map.of(),
          Map.of(),
          KeptSettings.EMPTY,
          null,
          Map.of(),
          new NodeExtras.Env(
              null,
              java.nio.file.Path.of("/nonexistent/kept.json"),
              java.nio.file.Path.of("/nonexistent/hostname"),
              null));

  /** By schema path (OVS keys), or {@code kind:key} (a common key on one OVS kind). */
  static final Map<String, Case> CASES = new LinkedHashMap<>();

  private static final String I = "interfaces[].";

  static {
    var br = "interfaces:\n- {name: br0, type: ovs-bridge, bridge: %s}\n";
    var patch = "interfaces: [{name: pp0, type: ovs-interface, patch: {peer: y}}]";
    CASES.put(I + "patch.peer", applied(patch, "[pp0].patch"));
    CASES.put(
        I + "dpdk",
        refused(
            "interfaces: [{name: ovs0, type: ovs-interface, dpdk: {devargs: '0000:01:00.0'}}]",
            "interfaces[0].dpdk"));
    CASES.put(
        I + "bridge.allow-extra-patch-ports",
        // Without it the port list [eth1, ovs0] drops pp0; with it pp0 stays: the plan differs.
        applied(
            br.formatted("{allow-extra-patch-ports: false, port: [{name: eth1}, {name: ovs0}]}"),
            "[br0].bridge.port"));
    CASES.put(
        I + "bridge.options.stp", applied(br.formatted("{options: {stp: true}}"), "options.stp"));
    // The map form nmstate also accepts: enabled applies, timers are refused.
    CASES.put(
        I + "bridge.options.stp.enabled",
        applied(br.formatted("{options: {stp: {enabled: true}}}"), "options.stp"));
    CASES.put(
        I + "bridge.options.stp.max-age",
        refused(
            br.formatted("{options: {stp: {enabled: true, max-age: 8}}}"), "options.stp.max-age"));
    CASES.put(
        I + "bridge.options.rstp",
        applied(br.formatted("{options: {rstp: true}}"), "options.rstp"));
    CASES.put(
        I + "bridge.options.mcast-snooping-enable",
        applied(
            br.formatted("{options: {mcast-snooping-enable: true}}"),
            "options.mcast-snooping-enable"));
    CASES.put(
        I + "bridge.options.fail-mode",
        applied(br.formatted("{options: {fail-mode: secure}}"), "options.fail-mode"));
    CASES.put(
        I + "bridge.options.datapath",
        applied(br.formatted("{options: {datapath: system}}"), "options.datapath"));
    // Keys an ovs-bridge shares with linux-bridge, applied by the OVS planner on an ovs-bridge.
    CASES.put(
        I + "bridge.port",
        applied(
            br.formatted("{port: [{name: eth1}, {name: ovs0}, {name: pp0}, {name: eth2}]}"),
            "[br0].bridge.port"));
    CASES.put(
        I + "bridge.port[].name",
        applied(br.formatted("{port: [{name: eth1}]}"), "[br0].bridge.port"));
    var port =
        "interfaces:\n- {name: br0, type: ovs-bridge, bridge: {port: [{name: eth1, %s},"
            + " {name: ovs0}, {name: pp0}]}}\n";
    CASES.put(
        I + "bridge.port[].vlan.mode",
        applied(port.formatted("vlan: {mode: access, tag: 5}"), "vlan.mode"));
    CASES.put(
        I + "bridge.port[].vlan.tag",
        applied(port.formatted("vlan: {mode: access, tag: 5}"), "vlan.tag"));
    CASES.put(
        I + "bridge.port[].vlan.enable-native",
        applied(
            port.formatted(
                "vlan: {mode: trunk, tag: 5, enable-native: true, trunk-tags: [{id: 7}]}"),
            "vlan.mode"));
    CASES.put(
        I + "bridge.port[].vlan.trunk-tags",
        applied(
            port.formatted("vlan: {mode: trunk, trunk-tags: [{id-range: {min: 7, max: 9}}]}"),
            "vlan.trunk-tags"));
    var bond =
        "interfaces:\n- {name: br1, type: ovs-bridge, bridge: {port: [{name: bd0,"
            + " link-aggregation: %s}]}}\n";
    CASES.put(
        I + "bridge.port[].link-aggregation.mode",
        applied(
            bond.formatted("{mode: balance-tcp}"), "[br1].bridge.port[bd0].link-aggregation.mode"));
    CASES.put(
        I + "bridge.port[].link-aggregation.port",
        applied(
            bond.formatted("{port: [{name: eth3}, {name: eth5}]}"),
            "[br1].bridge.port[bd0].link-aggregation.port"));
    CASES.put(
        I + "bridge.port[].link-aggregation.port[].name",
        applied(
            bond.formatted("{port: [{name: eth4}, {name: eth5}]}"),
            "[br1].bridge.port[bd0].link-aggregation.port"));
    CASES.put(
        I + "bridge.port[].link-aggregation.bond-updelay",
        applied(bond.formatted("{bond-updelay: 100}"), "link-aggregation.bond-updelay"));
    CASES.put(
        I + "bridge.port[].link-aggregation.bond-downdelay",
        applied(bond.formatted("{bond-downdelay: 100}"), "link-aggregation.bond-downdelay"));
    CASES.put(
        I + "bridge.port[].link-aggregation.ovs-db.other_config",
        applied(
            bond.formatted("{ovs-db: {other_config: {lacp-time: fast}}}"),
            "[br1].bridge.port[bd0].ovs-db.other_config"));
    CASES.put(
        I + "bridge.port[].link-aggregation.ovs-db.external_ids",
        applied(
            bond.formatted("{ovs-db: {external_ids: {k: v}}}"),
            "[br1].bridge.port[bd0].ovs-db.external_ids"));
    CASES.put(
        I + "ovs-db.external_ids",
        applied(
            "interfaces: [{name: br0, type: ovs-bridge, ovs-db: {external_ids: {k: v}}}]",
            "[br0].ovs-db.external_ids"));
    CASES.put(
        I + "ovs-db.other_config",
        applied(
            "interfaces: [{name: br0, type: ovs-bridge, ovs-db: {other_config: {k: v}}}]",
            "[br0].ovs-db.other_config"));
    CASES.put(
        "ovs-db.external_ids", applied("ovs-db: {external_ids: {k: v}}", "ovs-db.external_ids.k"));
    CASES.put(
        "ovs-db.other_config", applied("ovs-db: {other_config: {k: v}}", "ovs-db.other_config.k"));
    var ovn = "ovn: {bridge-mappings: [%s]}\n";
    CASES.put(
        "ovn.bridge-mappings",
        applied(ovn.formatted("{localnet: n, bridge: br0}"), "ovn.bridge-mappings"));
    CASES.put(
        "ovn.bridge-mappings[].localnet",
        applied(ovn.formatted("{localnet: n2, bridge: br0}"), "ovn.bridge-mappings"));
    CASES.put(
        "ovn.bridge-mappings[].bridge",
        applied(ovn.formatted("{localnet: old, bridge: br1}"), "ovn.bridge-mappings"));
    CASES.put(
        "ovn.bridge-mappings[].state",
        applied(ovn.formatted("{localnet: old, state: absent}"), "ovn.bridge-mappings"));

    // Common keys, per kind.
    var b = "interfaces: [{name: br0, type: ovs-bridge, %s}]";
    var i = "interfaces: [{name: ovs0, type: ovs-interface, %s}]";
    var p = "interfaces: [{name: pp0, type: ovs-interface, patch: {peer: x}, %s}]";
    for (var kind : KINDS) {
      common(kind, "name", identity());
      common(kind, "type", identity());
    }
    // Issue 19's interface options. identifier/profile-name/copy-mac-from are for NICs, bonds and
    // bridges; the others name or tune a kernel device, which an OVS bridge or patch port is not.
    var forms = Map.of("ovs-bridge", b, "ovs-interface", i, "ovs-patch", p);
    for (var kind : KINDS) {
      var f = forms.get(kind);
      common(
          kind,
          "identifier",
          refused(
              f.formatted("identifier: mac-address, mac-address: 02:00:00:00:00:01"),
              "interfaces[0].identifier"));
      common(kind, "profile-name", refused(f.formatted("profile-name: other"), "profile-name"));
      common(kind, "copy-mac-from", refused(f.formatted("copy-mac-from: eth1"), "copy-mac-from"));
      // 802.1x authenticates ethernet ports; the key's first segment is "802" ("802.1x").
      common(
          kind,
          "802",
          refused(
              f.formatted("802.1x: {identity: x, eap-methods: [md5], password: p}"),
              "interfaces[0].802.1x"));
    }
    common(
        "ovs-interface",
        "alt-names",
        applied(i.formatted("alt-names: [{name: other-name}]"), "[ovs0].alt-names"));
    common(
        "ovs-interface",
        "pci-address",
        refused(i.formatted("pci-address: '0000:07:00.0'"), "interfaces[0].pci-address"));
    common(
        "ovs-interface",
        "dispatch",
        applied(i.formatted("dispatch: {post-activation: 'true'}"), "[ovs0].dispatch"));
    for (var kind : List.of("ovs-bridge", "ovs-patch")) {
      var f = forms.get(kind);
      common(
          kind,
          "alt-names",
          refused(f.formatted("alt-names: [{name: other-name}]"), "interfaces[0].alt-names"));
      common(
          kind,
          "pci-address",
          refused(f.formatted("pci-address: '0000:07:00.0'"), "interfaces[0].pci-address"));
      common(
          kind,
          "dispatch",
          refused(f.formatted("dispatch: {post-activation: 'true'}"), "interfaces[0].dispatch"));
    }
    common("ovs-bridge", "state", applied("interfaces: [{name: br0, state: absent}]", "[br0]"));
    common("ovs-patch", "state", refused(p.formatted("state: down"), "interfaces[0].state"));
    common(
        "ovs-bridge",
        "accept-all-mac-addresses",
        refused(
            b.formatted("accept-all-mac-addresses: true"),
            "interfaces[0].accept-all-mac-addresses"));
    common(
        "ovs-patch",
        "accept-all-mac-addresses",
        refused(
            p.formatted("accept-all-mac-addresses: false"),
            "interfaces[0].accept-all-mac-addresses"));
    // An OVS bridge and a patch port have no kernel device: the same keys are refused or go to
    // their ovs-db row.
    for (var kind : List.of("ovs-bridge", "ovs-patch")) {
      var f = forms.get(kind);
      var row = kind.equals("ovs-bridge") ? "[br0]" : "[pp0]";
      common(kind, "mtu", refused(f.formatted("mtu: 1400"), "interfaces[0].mtu"));
      common(
          kind,
          "mac-address",
          refused(f.formatted("mac-address: 02:00:00:00:00:01"), "interfaces[0].mac-address"));
      common(
          kind,
          "description",
          applied(f.formatted("description: d"), row + ".ovs-db.external_ids"));
      common(kind, "controller", refused(f.formatted("controller: br1"), "controller"));
      common(kind, "ipv4", refused(f.formatted("ipv4: {enabled: true}"), "ipv4.enabled"));
      common(kind, "ipv6", refused(f.formatted("ipv6: {enabled: true}"), "ipv6.enabled"));
      common(
          kind,
          "lldp",
          refused(f.formatted("lldp: {enabled: false}"), "interfaces[0].lldp.enabled"));
      common(
          kind,
          "mptcp",
          refused(
              f.formatted("mptcp: {address-flags: [signal]}"),
              "interfaces[0].mptcp.address-flags"));
      common(
          kind,
          "ovs-db",
          applied(f.formatted("ovs-db: {external_ids: {k: v}}"), row + ".ovs-db.external_ids"));
      common(
          kind,
          "ethtool",
          refused(f.formatted("ethtool: {feature: {tso: false}}"), "interfaces[0].ethtool"));
    }
    common(
        "ovs-interface",
        "state",
        applied("interfaces: [{name: ovs0, type: ovs-interface, state: absent}]", "[br0]"));
    common("ovs-interface", "mtu", applied(i.formatted("mtu: 1400"), "[ovs0].mtu"));
    common(
        "ovs-interface",
        "mac-address",
        applied(i.formatted("mac-address: 02:00:00:00:00:09"), "[ovs0].mac-address"));
    common(
        "ovs-interface",
        "description",
        applied(i.formatted("description: d"), "[ovs0].description"));
    common(
        "ovs-interface",
        "controller",
        refused(i.formatted("controller: br1"), "interfaces[0].controller"));
    common(
        "ovs-interface",
        "ipv4",
        applied(
            i.formatted("ipv4: {enabled: true, address: [{ip: 198.18.0.1, prefix-length: 24}]}"),
            "[ovs0].ipv4.address"));
    common(
        "ovs-interface",
        "ipv6",
        applied(
            i.formatted("ipv6: {enabled: true, address: [{ip: 2001:db8::1, prefix-length: 64}]}"),
            "[ovs0].ipv6.address"));
    common(
        "ovs-interface",
        "accept-all-mac-addresses",
        applied(i.formatted("accept-all-mac-addresses: true"), "[ovs0].accept-all-mac-addresses"));
    // A kept setting: the agent's LLDP listener runs on the internal port's kernel device.
    common(
        "ovs-interface",
        "lldp",
        applied(i.formatted("lldp: {enabled: true}"), "[ovs0].lldp.enabled"));
    common(
        "ovs-interface",
        "mptcp",
        applied(
            i.formatted(
                "ipv4: {enabled: true, address: [{ip: 198.18.0.1, prefix-length: 24}]},"
                    + " mptcp: {address-flags: [signal]}"),
            "[ovs0].mptcp.address-flags"));
    common(
        "ovs-interface",
        "ovs-db",
        applied(i.formatted("ovs-db: {other_config: {k: v}}"), "[ovs0].ovs-db.other_config"));
    common(
        "ovs-interface",
        "ethtool",
        refused(i.formatted("ethtool: {feature: {tso: false}}"), "interfaces[0].ethtool"));
  }

  private static void common(String kind, String key, Case c) {
    CASES.put(kind + ":" + key, c);
  }

  /**
   * What needs a case, from the parser: each key read for an OVS kind that no other kind reads in
   * that shape (or that sits in an {@code ovs-db}/{@code ovn} section), and per OVS kind each
   * common interface key every kind reads (the model's own fields and kept keys: the unsupported
   * and query-only ones are validation's and nmstate's, proven by {@code FieldCoverageTest}).
   */
  static Set<String> required() {
    var others = new HashSet<String>();
    var commonToAll = new HashSet<String>();
    boolean first = true;
    for (var t : InterfaceType.values()) {
      if (!t.supported()) {
        continue;
      }
      var keys = ModelFields.enumerate(t);
      if (!OVS_TYPES.contains(t)) {
        keys.values().forEach(f -> others.add(f.path() + " " + f.shape()));
      }
      var segments = new HashSet<String>();
      for (var f : keys.values()) {
        if (f.path().startsWith(I)
            && (f.category() == ModelFields.Category.FIELD
                || f.category() == ModelFields.Category.KEPT)) {
          segments.add(f.path().substring(I.length()).split("[.\\[]")[0]);
        }
      }
      if (first) {
        commonToAll.addAll(segments);
        first = false;
      } else {
        commonToAll.retainAll(segments);
      }
    }
    var out = new TreeSet<String>();
    for (var t : OVS_TYPES) {
      for (var f : ModelFields.enumerate(t).values()) {
        if (f.shape() == ModelFields.Shape.OBJECT || f.category() == ModelFields.Category.ALIAS) {
          continue;
        }
        var p = f.path();
        if (!others.contains(p + " " + f.shape())
            || p.contains("ovs-db.")
            || p.startsWith("ovn.")) {
          out.add(p);
        }
      }
    }
    for (var kind : KINDS) {
      commonToAll.forEach(k -> out.add(kind + ":" + k));
    }
    return out;
  }

  /** A switch with br0 (eth1, internal ovs0, patch pp0) and br1 (bond bd0 of eth3, eth4). */
  static OvsPlannerTest node() {
    var t = new OvsPlannerTest();
    for (int k = 1; k <= 5; k++) {
      t.nic(k, "eth" + k);
    }
    // ovs0's kernel device, as ovs-vswitchd makes it for the internal port.
    t.links.add(
        TestLinks.node(
            TestLinks.link(
                9,
                "ovs0",
                new LinkKind.Other("tun"),
                Rtnl.IFF_UP,
                "02:00:00:00:00:10",
                null,
                null,
                null,
                null,
                null,
                null),
            false,
            null));
    t.bridge("br0", "eth1", "", "ovs0", "internal", "pp0", "patch");
    t.bridge("br1", "eth3", "");
    // eth3's port becomes bond bd0 of eth3 and eth4.
    t.ifaces.put(
        "i-eth4",
        new InterfaceRow("i-eth4", "eth4", "", Map.of(), null, null, 2L, null, Map.of(), Map.of()));
    t.ports.remove("p-eth3");
    t.ports.put(
        "p-eth3",
        new PortRow(
            "p-eth3",
            "bd0",
            List.of("i-eth3", "i-eth4"),
            null,
            null,
            List.of(),
            "balance-slb",
            0,
            0,
            "off",
            Map.of(),
            Map.of()));
    t.rootExternalIds = Map.of("ovn-bridge-mappings", "old:br0");
    return t;
  }

  @Test
  void everyOvsKeyHasACase() {
    var required = required();
    assertThat(required)
        .as("learnt from the parser")
        .contains(
            "interfaces[].bridge.options.rstp",
            "interfaces[].patch.peer",
            "interfaces[].bridge.port[].link-aggregation.bond-updelay",
            "ovn.bridge-mappings[].localnet",
            "ovs-db.other_config",
            "ovs-bridge:mtu",
            "ovs-patch:accept-all-mac-addresses")
        .doesNotContain("interfaces[].bridge.port[].stp-path-cost", "interfaces[].mtu");
    var missing = new TreeSet<>(required);
    missing.removeAll(CASES.keySet());
    assertThat(missing).as("OVS keys with neither an apply nor a refusal case").isEmpty();
  }

  @Test
  void appliedKeysAreDeclaredInFieldCoverage() {
    var undeclared = new TreeSet<String>();
    for (var e : CASES.entrySet()) {
      if (e.getValue().how().equals("applied")
          && !e.getKey().contains(":")
          && FieldCoverage.of(e.getKey()) == null) {
        undeclared.add(e.getKey());
      }
    }
    assertThat(undeclared).as("applied here, undeclared in FieldCoverage").isEmpty();
  }

  static Stream<String> cases() {
    return CASES.entrySet().stream()
        .filter(e -> !e.getValue().how().equals("identity"))
        .map(Map.Entry::getKey);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void eachKeyIsAppliedOrRefusedAtItsPath(String key) throws Exception {
    var c = CASES.get(key);
    var parsed = StateParser.parse(c.yaml());
    var found = new ArrayList<String>();
    parsed.problems().forEach(p -> found.add(p.path()));
    StateValidator.validate(parsed.state(), name -> true).forEach(p -> found.add(p.path()));
    List<String> changes = List.of();
    if (found.isEmpty()) {
      try {
        // No MPTCP endpoints yet (the engine reads them when a document gives mptcp flags).
        var plan =
            Planner.plan(parsed.state(), node().node().withMptcp(List.of()).withExtras(KEPT));
        changes = plan.ops().stream().map(o -> o.diff().path()).toList();
      } catch (PlanException e) {
        e.problems().stream().map(Problem::path).forEach(found::add);
      }
    }
    if (c.how().equals("refused")) {
      assertThat(found).as(key + " refused").anyMatch(p -> p.contains(c.path()));
    } else {
      assertThat(found).as(key + ": no problem expected").isEmpty();
      assertThat(changes).as(key + " applied").anyMatch(p -> p.contains(c.path()));
    }
  }
}
