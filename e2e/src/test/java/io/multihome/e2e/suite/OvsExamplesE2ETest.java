package io.multihome.e2e.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.multihome.agent.engine.Engine;
import io.multihome.agent.engine.Target;
import io.multihome.api.nmstate.Condition;
import io.multihome.api.nmstate.ConditionTypes;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import io.multihome.lab.LabOvs;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/examples' Open vSwitch policies, unchanged, through the whole loop on two nodes ({@code
 * node01}, {@code node02}, workers): the lab starts each node's Open vSwitch (ovsdb-server, and
 * ovs-vswitchd in the node's namespace; userspace datapath without the kernel module) when the
 * first policy needs it; the NNCP becomes Available on both, each node read back by the engine
 * (kernel and OVSDB) shows no difference from the NNCE's desired state, and deleting the policy
 * leaves every node, switch configuration included, as configured.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OvsExamplesE2ETest {
  static final Path EXAMPLES = Path.of("..", "docs", "examples");

  E2ELab lab;

  @BeforeAll
  void startLab() throws Exception {
    Assumptions.assumeTrue(LabOvs.missing() == null, LabOvs.missing());
    lab = E2ELab.start(List.of("node01", "node02"));
    for (var node : lab.nodes()) {
      lab.label(node, "node-role.kubernetes.io/worker", "");
    }
  }

  @AfterAll
  void closeLab() throws Exception {
    if (lab != null) {
      assertThat(lab.closeAndListLeftovers()).isEmpty();
    }
  }

  @BeforeEach
  void resetNodes() throws Exception {
    lab.resetBetweenTests();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ovs-bridge.yaml",
        "ovs-internal-port.yaml",
        "ovs-bond-vlan.yaml",
        "ovs-ovn-localnet.yaml"
      })
  void ovsExampleRollsOutAndItsDeletionLeavesTheNodes(String file) throws Exception {
    var policy = load(file);
    String name = policy.getMetadata().getName();
    var before = settledStates();

    lab.client().resource(policy).create();
    var outcome = awaitFinished(name);
    assertThat(outcome.getType() + ": " + outcome.getMessage())
        .as(() -> lab.describeEnactments(name))
        .isEqualTo("Available: 2/2 nodes successfully configured");

    Path verifyDir = Files.createDirectories(lab.workDir().resolve("verify"));
    for (var node : lab.nodes()) {
      var ovs = lab.ovs(node);
      assertThat(ovs.running()).as("the lab started Open vSwitch on " + node).isNotNull();
      var nnce = lab.enactment(node, name).orElseThrow();
      var parsed = StateParser.parse(nnce.getStatus().getDesiredState());
      assertThat(parsed.problems()).isEmpty();
      var target = Target.of(lab.namespaceOf(node)).withOvsdbSocket(ovs.socket());
      try (var engine = Engine.open(target, verifyDir)) {
        assertThat(engine.differences(parsed.state())).as("node " + node).isEmpty();
        String shown = StateWriter.toYaml(engine.show(n -> true));
        for (var i : parsed.state().interfacesOrEmpty()) {
          if (i.common().state() != InterfaceState.ABSENT) {
            assertThat(shown).as("show on " + node).contains("name: " + i.name());
          }
        }
      }
      assertThat(before.get(node)).as("the policy changed " + node).isNotEqualTo(settled(node));
    }
    var configured = settledStates();

    lab.deletePolicy(name);

    assertThat(settledStates()).isEqualTo(configured);
  }

  @Test
  void theLocalnetMappingIsWhereOvnReadsIt() throws Exception {
    var policy = load("ovs-ovn-localnet.yaml");
    // Its own name: an agent never enacts a policy re-created under a name it already enacted
    // at the same generation (Enactor's done set is keyed name@generation; reported).
    policy.getMetadata().setName("ovn-localnet-blue-check");
    lab.client().resource(policy).create();
    awaitFinished("ovn-localnet-blue-check");
    for (var node : lab.nodes()) {
      var ovs = lab.ovs(node).running();
      assertThat(ovs.vsctl("get", "Open_vSwitch", ".", "external_ids:ovn-bridge-mappings").strip())
          .isEqualTo("\"localnet-blue:br-blue\"");
      assertThat(ovs.vsctl("get", "Interface", "br-blue-iface", "type").strip())
          .isEqualTo("internal");
    }
  }

  /** A change made with ovs-vsctl behind the agent reaches the node's NNS (an OVSDB monitor). */
  @Test
  void anOvsChangeMadeOutsideTheAgentReachesTheNns() throws Exception {
    var policy = load("ovs-bridge.yaml");
    policy.getMetadata().setName("ovs-bridge-nns");
    lab.client().resource(policy).create();
    awaitFinished("ovs-bridge-nns");
    lab.ovs("node01").running().vsctl("--no-wait", "set", "Bridge", "br1", "external_ids:by=hand");
    // Well inside the NNS resync (60 s): no kernel event follows this change.
    await()
        .atMost(java.time.Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        lab.client()
                            .resources(io.multihome.api.nmstate.NodeNetworkState.class)
                            .withName("node01")
                            .get()
                            .getStatus()
                            .getCurrentState()
                            .toString())
                    .contains("\"by\":\"hand\""));
  }

  /**
   * kubernetes-nmstate's ovs-bridge-iface.yaml asks DHCP for the internal port: the agent's DHCP
   * client gets a lease from the lab's fabric (dnsmasq, 198.18.64.0/24) through the OVS bridge,
   * whose system port eth1 is the node's NIC on the fabric, on every node.
   */
  @Test
  void theDhcpExampleGetsALeaseThroughTheBridge() throws Exception {
    var policy = load("ovs-bridge-iface.yaml");
    String name = policy.getMetadata().getName();
    lab.client().resource(policy).create();
    var c = awaitFinished(name);
    assertThat(c.getType()).as(c::getMessage).isEqualTo(ConditionTypes.AVAILABLE);
    for (var node : lab.nodes()) {
      var lease = lab.network(node).dhcp().status().get("ovs0").lease4();
      assertThat(lease).as("lease of ovs0 on " + node).isNotNull();
      assertThat(lease.address()).startsWith("198.18.64.");
      assertThat(
              E2ELab.ipJson(lab.namespaceOf(node), "-4", "addr", "show", "dev", "ovs0").toString())
          .contains("\"local\":\"" + lease.address() + "\"");
      assertThat(lab.ovs(node).running().vsctl("list-ports", "br1")).isEqualTo("eth1\novs0\n");
    }
  }

  private NodeNetworkConfigurationPolicy load(String file) throws Exception {
    try (InputStream in = Files.newInputStream(EXAMPLES.resolve(file))) {
      return lab.client().resources(NodeNetworkConfigurationPolicy.class).load(in).item();
    }
  }

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

  private Condition condition(String node, String policy) {
    return lab.enactment(node, policy).flatMap(E2ELab::trueCondition).orElseThrow();
  }

  private String settled(String node) {
    return lab.settledState(node);
  }

  /** Every node's settled state, read at once: each waits for two equal reads 300 ms apart. */
  private Map<String, String> settledStates() {
    var out = new java.util.concurrent.ConcurrentHashMap<String, String>();
    lab.nodes().parallelStream().forEach(n -> out.put(n, lab.settledState(n)));
    return new HashMap<>(out);
  }
}
