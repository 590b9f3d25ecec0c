package io.multihome.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.multihome.agent.cluster.AgentConfig;
import io.multihome.agent.cluster.ApplyOutcome;
import io.multihome.agent.cluster.NodeAgent;
import io.multihome.agent.cluster.NodeFacts;
import io.multihome.agent.cluster.NodeNetwork;
import io.multihome.agent.cluster.NodeProbe;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import io.multihome.controller.ControllerConfig;
import io.multihome.controller.PolicyController;
import io.multihome.lab.Lab;
import java.io.FileInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14, the whole loop with the shipped controller and agent: what users do to policies and
 * nodes converges, also when the agent restarts across it. The node is an in-memory network (the
 * engine is proven elsewhere); what matters here is that every change is applied exactly when it
 * should be and the statuses say so.
 */
@EnableKubernetesMockClient(crud = true)
class EnactmentLifecycleMockApiTest {
  static final String NODE = "node-a";
  static final String POLICY = "br-policy";
  static final String NNCE = NODE + "." + POLICY;
  static final Map<String, String> SELECTOR = Map.of("net", "blue");
  static final Duration WAIT = Duration.ofSeconds(20);
  static final ObjectMapper JSON = new ObjectMapper();

  KubernetesClient client;
  Path stateDir;
  MemoryNetwork network;
  NodeAgent agent;
  PolicyController controller;

  @BeforeEach
  void setUp(@TempDir Path dir) throws Exception {
    stateDir = dir;
    for (var crd :
        List.of(
            "nodenetworkconfigurationpolicies.nmstate.io.yaml",
            "nodenetworkconfigurationenactments.nmstate.io.yaml",
            "nodenetworkstates.nmstate.io.yaml")) {
      try (var in = new FileInputStream(Path.of("..", "deploy", "crds", crd).toFile())) {
        client.apiextensions().v1().customResourceDefinitions().load(in).create();
      }
    }
    var node = Lab.readyNode(NODE);
    node.getMetadata().getLabels().putAll(SELECTOR);
    client.nodes().resource(node).create();
    network = new MemoryNetwork();
    startAgent();
    controller =
        PolicyController.start(
            client, ControllerConfig.defaults().withPassInterval(Duration.ofMillis(50)));
  }

  @AfterEach
  void tearDown() {
    if (controller != null) {
      controller.close();
    }
    if (agent != null) {
      agent.close();
    }
  }

  private void startAgent() {
    agent =
        NodeAgent.builder(
                client,
                network,
                AgentConfig.defaults(NODE, stateDir)
                    .withMetricsPort(-1)
                    .withProbes(false, Duration.ofSeconds(1)))
            .start();
    await().atMost(WAIT).until(agent::ready);
  }

  private void stopAgent() {
    agent.close();
    agent = null;
  }

  /** Runs {@code change}, with the agent down during it when {@code restart}. */
  private void across(boolean restart, Runnable change) {
    if (restart) {
      stopAgent();
    }
    change.run();
    if (restart) {
      startAgent();
    }
  }

  @ParameterizedTest(name = "agent restarted: {0}")
  @ValueSource(booleans = {false, true})
  void aNodeLeavingThePolicyAndComingBackIsConfiguredAgain(boolean restart) {
    createPolicy("br1");
    awaitConfigured(1, "br1");

    label(null);
    await().atMost(WAIT).until(() -> enactment().isEmpty());
    across(restart, () -> label("blue"));
    awaitConfigured(2, "br1");
  }

  @ParameterizedTest(name = "agent restarted: {0}")
  @ValueSource(booleans = {false, true})
  void aPolicyDeletedAndCreatedAgainIsConfiguredAgain(boolean restart) {
    createPolicy("br1");
    awaitConfigured(1, "br1");

    across(
        restart,
        () -> {
          client.resources(NodeNetworkConfigurationPolicy.class).withName(POLICY).delete();
          await().atMost(WAIT).until(() -> policy() == null && enactment().isEmpty());
          createPolicy("br1");
        });
    awaitConfigured(2, "br1");
    assertThat(policy().getMetadata().getGeneration()).isEqualTo(1L);
  }

  @ParameterizedTest(name = "agent restarted: {0}")
  @ValueSource(booleans = {false, true})
  void anEnactmentDeletedByHandIsConfiguredAgain(boolean restart) {
    createPolicy("br1");
    awaitConfigured(1, "br1");
    var before = enactment().orElseThrow().getMetadata().getUid();

    across(
        restart,
        () -> client.resources(NodeNetworkConfigurationEnactment.class).withName(NNCE).delete());
    awaitConfigured(2, "br1");
    assertThat(enactment().orElseThrow().getMetadata().getUid()).isNotEqualTo(before);
  }

  @ParameterizedTest(name = "agent restarted: {0}")
  @ValueSource(booleans = {false, true})
  void aDesiredStateEditedBackToAnEarlierValueIsAppliedAgain(boolean restart) {
    createPolicy("br1");
    awaitConfigured(1, "br1");
    edit("br2");
    awaitConfigured(2, "br2");

    across(restart, () -> edit("br1"));
    awaitConfigured(3, "br1");
    assertThat(network.applied).containsExactly("br1", "br2", "br1");
    assertThat(enactment().orElseThrow().getStatus().getPolicyGeneration()).isEqualTo(3L);
  }

  /** Waits for the policy and its NNCE to be Available after exactly {@code applies} applies. */
  private void awaitConfigured(int applies, String lastBridge) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(trueType(enactment().orElse(null))).isEqualTo("Available");
              var p = policy();
              assertThat(p).as("policy").isNotNull();
              assertThat(p.getStatus()).as("policy status").isNotNull();
              assertThat(p.getStatus().getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType() + "=" + c.getStatus() + ": " + c.getMessage())
                            .isEqualTo("Available=True: 1/1 nodes successfully configured");
                      });
            });
    assertThat(network.applied).hasSize(applies).last().isEqualTo(lastBridge);
  }

  private void createPolicy(String bridge) {
    var p = new NodeNetworkConfigurationPolicy();
    p.getMetadata().setName(POLICY);
    p.setSpec(new io.multihome.api.nmstate.NodeNetworkConfigurationPolicySpec());
    p.getSpec().setNodeSelector(SELECTOR);
    p.getSpec().setDesiredState(bridge(bridge));
    client.resource(p).create();
  }

  private void edit(String bridge) {
    // The controller writes the policy's status meanwhile: a 409 is retried, as kubectl would.
    await()
        .atMost(WAIT)
        .ignoreExceptionsInstanceOf(KubernetesClientException.class)
        .until(
            () ->
                client
                        .resources(NodeNetworkConfigurationPolicy.class)
                        .withName(POLICY)
                        .edit(
                            p -> {
                              p.getSpec().setDesiredState(bridge(bridge));
                              return p;
                            })
                    != null);
  }

  private void label(String value) {
    await()
        .atMost(WAIT)
        .ignoreExceptionsInstanceOf(KubernetesClientException.class)
        .until(
            () ->
                client
                        .nodes()
                        .withName(NODE)
                        .edit(
                            n -> {
                              if (value == null) {
                                n.getMetadata().getLabels().remove("net");
                              } else {
                                n.getMetadata().getLabels().put("net", value);
                              }
                              return n;
                            })
                    != null);
  }

  private NodeNetworkConfigurationPolicy policy() {
    return client.resources(NodeNetworkConfigurationPolicy.class).withName(POLICY).get();
  }

  private Optional<NodeNetworkConfigurationEnactment> enactment() {
    return Optional.ofNullable(
        client.resources(NodeNetworkConfigurationEnactment.class).withName(NNCE).get());
  }

  private static ObjectNode bridge(String name) {
    var state = JSON.createObjectNode();
    state.putArray("interfaces").addObject().put("name", name).put("type", "linux-bridge");
    return state;
  }

  private static String trueType(NodeNetworkConfigurationEnactment n) {
    if (n == null || n.getStatus() == null || n.getStatus().getConditions() == null) {
      return "none";
    }
    return n.getStatus().getConditions().stream()
        .filter(c -> "True".equals(c.getStatus()))
        .map(c -> c.getType())
        .findFirst()
        .orElse("none");
  }

  /** The node: applies always succeed; each apply is recorded by its first interface's name. */
  static final class MemoryNetwork implements NodeNetwork {
    final List<String> applied = new CopyOnWriteArrayList<>();
    private volatile ObjectNode state = JSON.createObjectNode();

    @Override
    public ApplyOutcome apply(ObjectNode desiredState, List<NodeProbe> probes) {
      applied.add(desiredState.path("interfaces").path(0).path("name").asText());
      state = desiredState.deepCopy();
      return new ApplyOutcome.Applied(List.of("apply " + applied.get(applied.size() - 1)));
    }

    @Override
    public ObjectNode currentState() {
      return state.deepCopy();
    }

    @Override
    public Optional<String> recoverLeftoverCheckpoint() {
      return Optional.empty();
    }

    @Override
    public AutoCloseable onChange(Runnable listener) {
      return () -> {};
    }

    @Override
    public NodeFacts facts() {
      return new NodeFacts(List.of(), List.of());
    }

    @Override
    public <T> T inNodeNamespace(Callable<T> task) throws Exception {
      return task.call();
    }

    @Override
    public void close() {}
  }
}
