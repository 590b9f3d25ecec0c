package io.multihome.e2e.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.multihome.agent.engine.Engine;
import io.multihome.agent.engine.Target;
import io.multihome.api.nmstate.Condition;
import io.multihome.api.nmstate.ConditionTypes;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import io.multihome.state.InterfaceState;
import io.multihome.state.StateParser;
import io.multihome.state.StateWriter;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every docs/examples manifest, unchanged, through the whole loop on two nodes named {@code node01}
 * and {@code node02} (both labelled {@code node-role.kubernetes.io/worker}, so the examples' own
 * node selectors apply): NNCP created → each matching node's NNCE Available → the node's kernel
 * state read back with the engine matches the NNCE's (rendered) desired state, the other nodes are
 * unchanged → NNCP deleted → its NNCEs are gone and every node is left exactly as configured (as
 * upstream, deleting a policy does not undo it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DocsExamplesE2ETest {
  static final Path EXAMPLES = Path.of("..", "docs", "examples");

  E2ELab lab;

  @BeforeAll
  void startLab() throws Exception {
    lab = E2ELab.start(List.of("node01", "node02"));
    for (var node : lab.nodes()) {
      lab.label(node, "node-role.kubernetes.io/worker", "");
    }
  }

  @AfterAll
  void closeLab() throws Exception {
    assertThat(lab.closeAndListLeftovers()).isEmpty();
  }

  @BeforeEach
  void resetNodes() throws Exception {
    lab.resetBetweenTests();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "static-ip.yaml",
        "static-routes.yaml",
        "route-rule.yaml",
        "veth.yaml",
        "mac-vlan.yaml",
        "mac-vtap.yaml",
        "vxlan.yaml",
        "capture-bridge-on-default-nic.yaml",
        "linux-bridge.yaml",
        "dns.yaml"
      })
  void exampleRollsOutAndItsDeletionLeavesTheNodes(String file) throws Exception {
    throughTheLoop(file);
  }

  /**
   * Examples that need a kernel feature this host may lack (probed in the lab's own fabric
   * namespace): skipped naming it. *E2ETest classes do not run in the kernel-VM tier (it collects
   * only *KernelTest); the engine side of these examples runs there in ExamplesKernelTest.
   */
  @ParameterizedTest
  @CsvSource({
    "vlan.yaml, vlan",
    "bond.yaml, bond",
    "linux-bridge-vlan-trunk.yaml, bridge-vlan-filtering",
    "linux-bridge-access-port.yaml, bridge-vlan-filtering"
  })
  void exampleNeedingAKernelFeatureRollsOut(String file, String feature) throws Exception {
    var f = lab.features();
    switch (feature) {
      case "vlan" ->
          Assumptions.assumeTrue(f.vlan(), "kernel lacks 802.1q VLAN devices (CONFIG_VLAN_8021Q)");
      case "bond" -> Assumptions.assumeTrue(f.bond(), "kernel lacks bonding (CONFIG_BONDING)");
      default ->
          Assumptions.assumeTrue(
              f.bridgeVlanFiltering(),
              "kernel lacks bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING)");
    }
    throughTheLoop(file);
  }

  @Test
  void removeInterfaceExampleDeletesABridgeAnEarlierPolicyMade() throws Exception {
    for (var node : lab.nodes()) {
      String ns = lab.namespaceOf(node);
      E2ELab.ip(ns, "link", "add", "br1", "type", "bridge");
      E2ELab.ip(ns, "link", "set", "eth1", "master", "br1");
    }
    throughTheLoop("remove-interface.yaml");
    for (var node : lab.nodes()) {
      assertThat(E2ELab.tryIp(lab.namespaceOf(node), "link", "show", "dev", "br1"))
          .as("br1 on " + node)
          .isNotZero();
      assertThat(E2ELab.tryIp(lab.namespaceOf(node), "link", "show", "dev", "eth1")).isZero();
    }
  }

  /**
   * The SR-IOV example selects nodes labelled {@code
   * feature.node.kubernetes.io/network-sriov.capable}; the lab's veth NICs have no VFs, so no node
   * carries it: the policy is Ignored and no NNCE is made. (Creating VFs needs an SR-IOV NIC: the
   * kernel-VM tier's emulated igb, see docs/sriov.md.)
   */
  @Test
  void sriovExampleMatchesNoLabNode() throws Exception {
    var policy = load("sriov-vfs.yaml");
    lab.client().resource(policy).create();
    awaitPolicy("eth1-sriov", ConditionTypes.IGNORED, "Policy does not match any node");
    assertThat(lab.enactmentsOf("eth1-sriov")).isEmpty();
  }

  // --- the loop -----------------------------------------------------------------------------

  private void throughTheLoop(String file) throws Exception {
    var policy = load(file);
    String name = policy.getMetadata().getName();
    var selector =
        policy.getSpec().getNodeSelector() == null
            ? Map.<String, String>of()
            : policy.getSpec().getNodeSelector();
    var matching =
        lab.nodes().stream()
            .filter(
                n ->
                    lab.client()
                        .nodes()
                        .withName(n)
                        .get()
                        .getMetadata()
                        .getLabels()
                        .entrySet()
                        .containsAll(selector.entrySet()))
            .toList();
    assertThat(matching).as("nodes matching " + selector).isNotEmpty();
    var before = settledStates();

    lab.client().resource(policy).create();
    var outcome = awaitFinished(name);
    assertThat(describe(outcome))
        .as(() -> lab.describeEnactments(name))
        .isEqualTo(
            "Available: %d/%d nodes successfully configured"
                .formatted(matching.size(), matching.size()));

    Path verifyDir = Files.createDirectories(lab.workDir().resolve("verify"));
    for (var node : lab.nodes()) {
      if (!matching.contains(node)) {
        assertThat(lab.settledState(node)).as(node + " not selected").isEqualTo(before.get(node));
        continue;
      }
      var nnce = lab.enactment(node, name).orElseThrow();
      assertThat(condition(node, name).getType()).isEqualTo(ConditionTypes.AVAILABLE);
      var parsed = StateParser.parse(nnce.getStatus().getDesiredState());
      assertThat(parsed.problems()).isEmpty();
      // With the agent's DHCP service: the examples that ask for DHCP are checked with it.
      try (var engine =
          Engine.open(Target.of(lab.namespaceOf(node)), verifyDir)
              .withDynamicIp(lab.network(node).dhcp())) {
        assertThat(engine.differences(parsed.state())).as("kernel of " + node).isEmpty();
        String shown = StateWriter.toYaml(engine.show(n -> true));
        for (var i : parsed.state().interfacesOrEmpty()) {
          if (i.common().state() != InterfaceState.ABSENT) {
            assertThat(shown).as("show on " + node).contains("name: " + i.name());
          }
          var v4 = i.common().ipv4();
          if (v4 != null && Boolean.TRUE.equals(v4.dhcp())) {
            // A real lease from the fabric's dnsmasq, in the kernel with its lifetime.
            var lease = lab.network(node).dhcp().status().get(i.name()).lease4();
            assertThat(lease).as("lease of " + i.name() + " on " + node).isNotNull();
            assertThat(lease.address()).startsWith("198.18.64.");
            assertThat(
                    E2ELab.ipJson(lab.namespaceOf(node), "-4", "addr", "show", "dev", i.name())
                        .toString())
                .contains("\"local\":\"" + lease.address() + "\"")
                .contains("\"dynamic\":true");
          }
        }
      }
    }
    var configured = settledStates();

    lab.deletePolicy(name);

    var after = settledStates();
    for (var node : lab.nodes()) {
      assertThat(after.get(node))
          .as(node + " after deletion:\n" + E2ELab.diff(configured.get(node), after.get(node)))
          .isEqualTo(configured.get(node));
    }
  }

  private NodeNetworkConfigurationPolicy load(String file) throws Exception {
    try (InputStream in = Files.newInputStream(EXAMPLES.resolve(file))) {
      return lab.client().resources(NodeNetworkConfigurationPolicy.class).load(in).item();
    }
  }

  private void awaitPolicy(String name, String type, String message) {
    lab.awaitPolicy(name, type, message);
  }

  /** The policy's True condition once it is Available or Degraded (a rollout's two ends). */
  private Condition awaitFinished(String name) {
    var out = new Condition[1];
    await()
        .atMost(E2ELab.WAIT)
        .until(
            () -> {
              var c = E2ELab.trueCondition(lab.policy(name));
              out[0] = c.orElse(null);
              return c.map(Condition::getType)
                  .filter(
                      t -> t.equals(ConditionTypes.AVAILABLE) || t.equals(ConditionTypes.DEGRADED))
                  .isPresent();
            });
    return out[0];
  }

  private static String describe(Condition c) {
    return c.getType() + ": " + c.getMessage();
  }

  private Condition condition(String node, String policy) {
    return lab.enactment(node, policy).flatMap(E2ELab::trueCondition).orElseThrow();
  }

  /** Every node's settled state, read at once: each waits for two equal reads 300 ms apart. */
  private Map<String, String> settledStates() {
    var out = new java.util.concurrent.ConcurrentHashMap<String, String>();
    lab.nodes().parallelStream().forEach(n -> out.put(n, lab.settledState(n)));
    return new HashMap<>(out);
  }
}
