package io.multihome.agent.cluster;

import static io.multihome.agent.cluster.Cluster.bridge;
import static io.multihome.agent.cluster.Cluster.enactment;
import static io.multihome.agent.cluster.Cluster.get;
import static io.multihome.agent.cluster.Cluster.trueType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import io.multihome.api.nmstate.NodeNetworkState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: no object can stop the agent. NNCEs and its NNS are written as raw JSON around the
 * model: an unknown field is ignored, a wrong type makes the object unreadable (skipped, Warning
 * event naming the field) and the agent goes on with every other object. The NNCE and NNS models
 * have no enum-typed field.
 */
@EnableKubernetesMockClient(crud = true)
class LenientReadMockApiTest {
  static final String NODE = "node-a";

  KubernetesClient client;
  @TempDir Path stateDir;
  ScriptedNetwork network;
  NodeAgent agent;

  @BeforeEach
  void setUp() {
    Cluster.node(client, NODE);
    network = new ScriptedNetwork();
  }

  @AfterEach
  void tearDown() {
    if (agent != null) {
      agent.close();
    }
  }

  private void start() {
    var config =
        AgentConfig.defaults(NODE, stateDir)
            .withMetricsPort(-1)
            .withNnsTiming(Duration.ofMillis(100), Duration.ofMillis(500));
    agent = NodeAgent.builder(client, network, config).probes(List::of).start();
  }

  /** A granted NNCE of generation 1 whose status is {@code status}, written as raw JSON. */
  private void rawEnactment(String policy, Map<String, Object> status) {
    var name = NODE + "." + policy;
    var nnce =
        client
            .getKubernetesSerialization()
            .unmarshal(
                ("{'apiVersion': 'nmstate.io/v1beta1', 'kind': 'NodeNetworkConfigurationEnactment',"
                        + " 'metadata': {'name': '"
                        + name
                        + "', 'labels': {'nmstate.io/node': '"
                        + NODE
                        + "', 'nmstate.io/policy': '"
                        + policy
                        + "'}, 'annotations': {'multihome.io/rollout-grant': '1'}}}")
                    .replace('\'', '"'),
                GenericKubernetesResource.class);
    var nnces =
        client.genericKubernetesResources(
            ResourceDefinitionContext.fromResourceType(NodeNetworkConfigurationEnactment.class));
    var created = nnces.resource(nnce).create();
    created.getAdditionalProperties().put("status", status);
    nnces.resource(created).updateStatus();
  }

  @Test
  void anUnreadableEnactmentIsSkippedAndReportedAndTheOthersAreEnacted() {
    // Enacted in policy-name order: the bad one comes first and must not block the rest.
    rawEnactment(
        "a-bad",
        Map.of(
            "policyGeneration", 1, "desiredState", "interfaces: [br0]", "conditions", List.of()));
    rawEnactment(
        "b-extra",
        Map.of(
            "policyGeneration",
            1,
            "desiredState",
            Map.of("interfaces", List.of(Map.of("name", "br1", "type", "linux-bridge"))),
            "hint",
            "an unknown field",
            "conditions",
            List.of()));
    start();
    enactment(client, NODE, "c-good", 1, bridge("br2", "198.18.2.1/24"), true);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(trueType(get(client, NODE + ".b-extra"))).isEqualTo("Available");
              assertThat(trueType(get(client, NODE + ".c-good"))).isEqualTo("Available");
            });
    assertThat(network.applied).containsExactly("br1", "br2");
    assertThat(trueType(get(client, NODE + ".a-bad"))).isEqualTo("none");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(client.v1().events().inNamespace("default").list().getItems())
                    .filteredOn(e -> (NODE + ".a-bad").equals(e.getInvolvedObject().getName()))
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getReason()).isEqualTo("InvalidFields");
                          assertThat(e.getInvolvedObject().getKind())
                              .isEqualTo("NodeNetworkConfigurationEnactment");
                          assertThat(e.getMessage())
                              .contains(
                                  "status.desiredState: expected an object, got"
                                      + " \"interfaces: [br0]\"");
                        }));
  }

  @Test
  void aNodeStateEditedWithAWrongTypeIsRepublished() {
    start();
    var states = client.resources(NodeNetworkState.class).withName(NODE);
    await().atMost(Duration.ofSeconds(5)).until(() -> states.get() != null && agent.ready());

    var raw =
        client.genericKubernetesResources(
            ResourceDefinitionContext.fromResourceType(NodeNetworkState.class));
    var edited = raw.withName(NODE).get();
    @SuppressWarnings("unchecked")
    var status = (Map<String, Object>) edited.getAdditionalProperties().get("status");
    status.put("currentState", "all good, trust me");
    status.put("comment", "unknown fields are fine");
    raw.resource(edited).updateStatus();

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              var nns = states.get();
              assertThat(nns.getStatus().getCurrentState()).isNotNull();
              assertThat(nns.getStatus().getCurrentState().toString()).contains("eth0");
            });
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(client.v1().events().inNamespace("default").list().getItems())
                    .filteredOn(e -> NODE.equals(e.getInvolvedObject().getName()))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getMessage()).contains("status.currentState")));
  }
}
