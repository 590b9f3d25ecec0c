package io.multihome.controller.nncp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: no object can stop the policy controller. Objects are written as raw JSON around the
 * model (what kubectl can store in a cluster without schema validation): an unknown field is
 * ignored, a wrong type makes the object invalid (condition and Warning event naming the path), and
 * the controller goes on reconciling good objects. The NNCP and NNCE models have no enum-typed
 * field (the desired state's own enums are the engine's validation, on the agent).
 */
@EnableKubernetesMockClient(crud = true)
class LenientReadMockApiTest {
  private static final Map<String, String> WORKERS = Map.of("role", "worker");
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String BRIDGE =
      "'desiredState': {'interfaces': [{'name': 'br1', 'type': 'linux-bridge'}]}";

  KubernetesClient client;
  ControllerFixture fx;

  @BeforeEach
  void setUp() {
    fx = new ControllerFixture(client, Duration.ofMillis(50), 30);
    fx.agents.addNode("node-00", WORKERS, true, true);
    fx.agents.addNode("node-01", WORKERS, true, true);
    fx.startController();
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private GenericKubernetesResource raw(String json) {
    return client
        .getKubernetesSerialization()
        .unmarshal(json.replace('\'', '"'), GenericKubernetesResource.class);
  }

  private void createPolicy(String name, String spec) {
    var nncp =
        raw(
            "{'apiVersion': 'nmstate.io/v1', 'kind': 'NodeNetworkConfigurationPolicy',"
                + " 'metadata': {'name': '"
                + name
                + "'}, 'spec': "
                + spec
                + "}");
    client
        .genericKubernetesResources("nmstate.io/v1", "NodeNetworkConfigurationPolicy")
        .resource(nncp)
        .create();
  }

  private void awaitPolicy(String policy, String expected) {
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(fx.policyStatus(policy)).isEqualTo(expected));
  }

  @Test
  void anUnknownFieldIsIgnoredAndAWrongTypeMakesThePolicyInvalidWhileOthersGoOn() {
    createPolicy(
        "typo", "{'nodeSelector': {'role': 'worker'}, 'extraField': {'a': 1}, " + BRIDGE + "}");
    createPolicy(
        "wrong-type", "{'nodeSelector': 'worker', 'maxUnavailable': {'x': 1}, " + BRIDGE + "}");
    awaitPolicy("typo", "Available/SuccessfullyConfigured: 2/2 nodes successfully configured");
    awaitPolicy(
        "wrong-type",
        "Degraded/InvalidPolicy: spec.maxUnavailable: Either integer or string value needs to be"
            + " provided; spec.nodeSelector: expected a map, got \"worker\";"
            + " the policy is not rolled out until this is fixed");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(client.v1().events().inNamespace("default").list().getItems())
                    .filteredOn(e -> "wrong-type".equals(e.getInvolvedObject().getName()))
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getReason()).isEqualTo("InvalidPolicy");
                          assertThat(e.getInvolvedObject().getKind())
                              .isEqualTo("NodeNetworkConfigurationPolicy");
                          assertThat(e.getMessage()).contains("spec.nodeSelector");
                        }));
    assertThat(fx.enactments("wrong-type")).isEmpty();

    // Still reconciling: a good policy after the bad one.
    fx.createPolicy("after", WORKERS, null);
    awaitPolicy("after", "Available/SuccessfullyConfigured: 2/2 nodes successfully configured");
  }

  @Test
  void anEnactmentWithAWrongTypeIsRewrittenAndReported() {
    fx.createPolicy("br1", WORKERS, null);
    awaitPolicy("br1", "Available/SuccessfullyConfigured: 2/2 nodes successfully configured");
    var name = NodeNetworkConfigurationEnactment.nameFor("node-00", "br1");
    var nnces =
        client.genericKubernetesResources(
            "nmstate.io/v1beta1", "NodeNetworkConfigurationEnactment");
    var edited = nnces.withName(name).get();
    @SuppressWarnings("unchecked")
    var status = (Map<String, Object>) edited.getAdditionalProperties().get("status");
    status.put("policyGeneration", "one");
    status.put("unknownThing", true);
    nnces.resource(edited).updateStatus();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(client.v1().events().inNamespace("default").list().getItems())
                    .filteredOn(e -> name.equals(e.getInvolvedObject().getName()))
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getReason()).isEqualTo("InvalidFields");
                          assertThat(e.getMessage())
                              .contains(
                                  "status.policyGeneration: \"one\" is not an integer",
                                  "writes its status afresh");
                        }));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var nnce = fx.existingEnactment("node-00", "br1");
              assertThat(nnce.getStatus()).as("status").isNotNull();
              assertThat(nnce.getStatus().getPolicyGeneration()).isEqualTo(1L);
              assertThat(ControllerFixture.status(nnce)).isEqualTo("Available");
            });
    awaitPolicy("br1", "Available/SuccessfullyConfigured: 2/2 nodes successfully configured");
  }
}
