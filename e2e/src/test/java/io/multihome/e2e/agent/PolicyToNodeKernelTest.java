package io.multihome.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.multihome.agent.cluster.AgentConfig;
import io.multihome.agent.cluster.EngineNodeNetwork;
import io.multihome.agent.cluster.NodeAgent;
import io.multihome.agent.netlink.Link;
import io.multihome.agent.netlink.NamedNetns;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.api.nmstate.Condition;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicySpec;
import io.multihome.controller.ControllerConfig;
import io.multihome.controller.PolicyController;
import io.multihome.lab.Lab;
import java.io.FileInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop on one mock-API node: the shipped policy controller grants, the real agent enacts
 * on a throwaway namespace standing in for the node, both report. Measures NNCP creation → NNCE
 * Available (issue 6: under 2 s for a bridge policy).
 */
@EnableKubernetesMockClient(crud = true)
class PolicyToNodeKernelTest {
  static final String NODE = "e2e-node";
  static final ObjectMapper JSON = new ObjectMapper();

  KubernetesClient client;
  @TempDir Path stateDir;
  String ns;
  EngineNodeNetwork network;
  NodeAgent agent;
  PolicyController controller;

  @BeforeEach
  void setUp() throws Exception {
    for (var crd :
        List.of(
            "nodenetworkconfigurationpolicies.nmstate.io.yaml",
            "nodenetworkconfigurationenactments.nmstate.io.yaml",
            "nodenetworkstates.nmstate.io.yaml")) {
      try (var in = new FileInputStream(Path.of("..", "deploy", "crds", crd).toFile())) {
        client.apiextensions().v1().customResourceDefinitions().load(in).create();
      }
    }
    ns = "mh-agt-" + UUID.randomUUID().toString().substring(0, 8);
    NamedNetns.create(ns);
    client.nodes().resource(Lab.readyNode(NODE)).create();
  }

  @AfterEach
  void tearDown() {
    try {
      if (controller != null) {
        controller.close();
      }
      if (agent != null) {
        agent.close();
      }
      if (network != null) {
        network.close();
      }
    } finally {
      NamedNetns.delete(ns);
    }
    assertThat(NamedNetns.exists(ns)).isFalse();
  }

  @Test
  void bridgePolicyReachesAvailableOnTheNode() {
    network = new EngineNodeNetwork(ns, stateDir);
    agent =
        NodeAgent.builder(client, network, AgentConfig.defaults(NODE, stateDir).withMetricsPort(-1))
            .start();
    await().atMost(Duration.ofSeconds(10)).until(agent::ready);
    controller = PolicyController.start(client, ControllerConfig.defaults());

    long t0 = System.nanoTime();
    client.resource(policy("br-e2e", "br-e2e", "198.18.7.1/24")).create();
    var nnces = client.resources(NodeNetworkConfigurationEnactment.class);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(trueType(nnces.withName(NODE + ".br-e2e").get()))
                    .isEqualTo("Available"));
    long nnceMs = (System.nanoTime() - t0) / 1_000_000;
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              var p =
                  client.resources(NodeNetworkConfigurationPolicy.class).withName("br-e2e").get();
              assertThat(p.getStatus()).isNotNull();
              assertThat(p.getStatus().getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("Available");
                        assertThat(c.getStatus()).isEqualTo("True");
                      });
            });
    long nncpMs = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf(
        "NNCP created -> NNCE Available %d ms, NNCP Available %d ms%n", nnceMs, nncpMs);
    try (var nl = RtNetlink.openNamed(ns)) {
      assertThat(nl.links().list().stream().map(Link::name)).contains("br-e2e");
    }
    // The < 2 s target of issue 6 is a measurement (printed above, recorded in docs/benchmarks.md),
    // not an assertion: a loaded CI machine must not turn a timing into a red build.
  }

  static NodeNetworkConfigurationPolicy policy(String name, String bridge, String cidr) {
    var parts = cidr.split("/");
    ObjectNode state = JSON.createObjectNode();
    var iface = state.putArray("interfaces").addObject();
    iface.put("name", bridge).put("type", "linux-bridge").put("state", "up");
    var v4 = iface.putObject("ipv4");
    v4.put("enabled", true);
    v4.putArray("address")
        .addObject()
        .put("ip", parts[0])
        .put("prefix-length", Integer.parseInt(parts[1]));
    var p = new NodeNetworkConfigurationPolicy();
    p.getMetadata().setName(name);
    p.setSpec(new NodeNetworkConfigurationPolicySpec());
    p.getSpec().setDesiredState(state);
    return p;
  }

  static String trueType(NodeNetworkConfigurationEnactment n) {
    if (n == null || n.getStatus() == null || n.getStatus().getConditions() == null) {
      return "none";
    }
    return n.getStatus().getConditions().stream()
        .filter(c -> Condition.TRUE.equals(c.getStatus()))
        .map(Condition::getType)
        .findFirst()
        .orElse("none");
  }
}
