package io.multihome.controller.nncp;

import static io.multihome.controller.nncp.ControllerFixture.condition;
import static io.multihome.controller.nncp.ControllerFixture.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.multihome.api.nmstate.CapturedState;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import io.multihome.controller.nncp.SimulatedAgents.Behavior;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class LifecycleMockApiTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final Map<String, String> WORKERS = Map.of("role", "worker");
  private static final Duration WAIT = Duration.ofSeconds(30);
  KubernetesClient client;
  ControllerFixture fx;

  @BeforeEach
  void setUp() {
    fx = new ControllerFixture(client, Duration.ofMillis(100), 30);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private void nodes(int n) {
    for (int i = 0; i < n; i++) {
      fx.agents.addNode("node-%02d".formatted(i), WORKERS, true, true);
    }
  }

  private void awaitPolicy(String policy, String expected) {
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(fx.policyStatus(policy)).isEqualTo(expected));
  }

  @Test
  void noMatchingNodeIsIgnored() {
    nodes(2);
    fx.startController();
    fx.createPolicy("br1", Map.of("role", "db"), null);
    awaitPolicy("br1", "Ignored/NoMatchingNode: Policy does not match any node");
    assertThat(fx.enactments("br1")).isEmpty();
  }

  @Test
  void failureAbortsTheRestAndIsReportedWithEvents() {
    nodes(4);
    fx.agents.behave("node-00", Behavior.FAIL);
    fx.startController();
    fx.createPolicy("br1", WORKERS, new IntOrString(1));

    awaitPolicy(
        "br1",
        "Degraded/FailedToConfigure: 1/4 nodes failed to configure, 3 nodes aborted configuration");
    assertThat(fx.enactments("br1"))
        .extracting(ControllerFixture::status)
        .containsExactlyInAnyOrder("Failing", "Aborted", "Aborted", "Aborted");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(client.v1().events().inNamespace("default").list().getItems())
                    .filteredOn(e -> "ReconcileFailed".equals(e.getReason()))
                    .extracting(e -> e.getMessage())
                    .contains(
                        "reconciliation of enactment \"node-00.br1\" has failed after 5 retries",
                        "reconciliation of enactment \"node-01.br1\" has aborted"));
    assertThat(fx.registry.get(PolicyMetrics.POLICIES).tag("status", "Degraded").gauge().value())
        .isEqualTo(1.0);
    assertThat(fx.registry.get(PolicyMetrics.ENACTMENTS).tag("status", "Aborted").gauge().value())
        .isEqualTo(3.0);
  }

  /**
   * Issue 14: the failed node going NotReady left "0/3 nodes failed to configure, 2 nodes aborted
   * configuration" (Degraded without a failing node). The failure still counts; and once the failed
   * node leaves the policy, nothing justifies the aborts: the others are configured.
   */
  @Test
  void degradedAlwaysNamesTheFailedNodeAndAbortsEndWithTheFailure() {
    nodes(3);
    fx.agents.behave("node-00", Behavior.FAIL);
    fx.startController();
    fx.createPolicy("br1", WORKERS, new IntOrString(1));
    awaitPolicy(
        "br1",
        "Degraded/FailedToConfigure: 1/3 nodes failed to configure, 2 nodes aborted configuration");

    client.nodes().withName("node-00").editStatus(n -> ready(n, "False"));
    awaitPolicyAfterPass(
        "br1",
        "Degraded/FailedToConfigure: 1/3 nodes failed to configure, 2 nodes aborted configuration");

    client.nodes().withName("node-00").edit(n -> relabel(n, "db"));
    awaitPolicy("br1", "Available/SuccessfullyConfigured: 2/2 nodes successfully configured");
    assertThat(fx.enactments("br1"))
        .extracting(ControllerFixture::status)
        .containsExactly("Available", "Available");
    assertThat(fx.observer.maxUnavailable("br1")).isEqualTo(1);
  }

  /** Waits for {@code expected} and then checks it still holds after another pass had time. */
  private void awaitPolicyAfterPass(String policy, String expected) {
    await()
        .pollDelay(Duration.ofSeconds(1))
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(fx.policyStatus(policy)).isEqualTo(expected));
    await()
        .during(Duration.ofSeconds(1))
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(fx.policyStatus(policy)).isEqualTo(expected));
  }

  @Test
  void retryingNodeKeepsItsGrantAndFinishes() {
    nodes(3);
    fx.agents.behave("node-00", Behavior.RETRY_THEN_SUCCEED);
    fx.startController();
    fx.createPolicy("br1", WORKERS, new IntOrString(1));
    awaitPolicy("br1", "Available/SuccessfullyConfigured: 3/3 nodes successfully configured");
    assertThat(fx.observer.maxUnavailable("br1")).isEqualTo(1);
    assertThat(fx.registry.get(PolicyMetrics.ROLLOUT).tag("outcome", "Available").timer().count())
        .isEqualTo(1);
  }

  @Test
  void labelChangesMoveNodesInAndOut() {
    nodes(2);
    fx.agents.addNode("other", Map.of("role", "db"), true, true);
    fx.startController();
    fx.createPolicy("br1", WORKERS, null);
    awaitPolicy("br1", "Available/SuccessfullyConfigured: 2/2 nodes successfully configured");

    client.nodes().withName("other").edit(n -> relabel(n, "worker"));
    awaitPolicy("br1", "Available/SuccessfullyConfigured: 3/3 nodes successfully configured");
    assertThat(fx.enactment("other", "br1"))
        .get()
        .extracting(ControllerFixture::status)
        .isEqualTo("Available");

    client.nodes().withName("node-00").edit(n -> relabel(n, "db"));
    awaitPolicy("br1", "Available/SuccessfullyConfigured: 2/2 nodes successfully configured");
    await().atMost(WAIT).until(() -> fx.enactment("node-00", "br1").isEmpty());
  }

  /**
   * Issue 14: a merge-patch removal in a lenient store leaves {@code key: null}, in a node's labels
   * or in a policy's nodeSelector. Either way the key is absent.
   */
  @Test
  void nullLabelAndSelectorValuesAreAbsent() {
    fx.agents.addNode("node-00", Map.of("role", "worker", "team", "red"), true, true);
    fx.agents.addNode("node-01", Map.of("role", "worker", "team", "red"), true, true);
    client
        .nodes()
        .withName("node-00")
        .edit(
            n -> {
              var labels = new HashMap<>(n.getMetadata().getLabels());
              labels.put("team", null);
              n.getMetadata().setLabels(labels);
              return n;
            });
    assertThat(client.nodes().withName("node-00").get().getMetadata().getLabels())
        .containsEntry("team", null);
    fx.startController();
    // {"role": "worker", "team": null}: selects every worker, whatever its team.
    var selector = new HashMap<String, String>(WORKERS);
    selector.put("team", null);
    fx.createPolicy("br1", selector, null);
    assertThat(fx.policy("br1").getSpec().getNodeSelector()).containsEntry("team", null);
    awaitPolicy("br1", "Available/SuccessfullyConfigured: 2/2 nodes successfully configured");

    client
        .nodes()
        .withName("node-01")
        .edit(
            n -> {
              var labels = new HashMap<>(n.getMetadata().getLabels());
              labels.put("role", null);
              n.getMetadata().setLabels(labels);
              return n;
            });
    awaitPolicy("br1", "Available/SuccessfullyConfigured: 1/1 nodes successfully configured");
    await().atMost(WAIT).until(() -> fx.enactment("node-01", "br1").isEmpty());
  }

  @Test
  void deletingANodeMidRolloutFixesTheCounts() {
    nodes(3);
    fx.agents.behave("node-01", Behavior.HOLD);
    fx.startController();
    fx.createPolicy("br1", WORKERS, new IntOrString("100%"));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(fx.policyStatus("br1"))
                    .isEqualTo(
                        "Progressing/ConfigurationProgressing: Policy is progressing 2/3 nodes finished"));

    client.nodes().withName("node-01").delete();
    awaitPolicy("br1", "Available/SuccessfullyConfigured: 2/2 nodes successfully configured");
    await().atMost(WAIT).until(() -> fx.enactment("node-01", "br1").isEmpty());
  }

  @Test
  void editingThePolicyMidRolloutRestartsItCleanly() {
    nodes(4);
    behaveAll(4, Behavior.HOLD);
    fx.startController();
    fx.createPolicy("br1", WORKERS, new IntOrString(2));
    awaitCount("br1", "Progressing", 2);

    // The controller writes the policy's status meanwhile: an edit may meet a 409 and is retried,
    // as kubectl would be.
    await()
        .atMost(WAIT)
        .ignoreExceptionsInstanceOf(KubernetesClientException.class)
        .until(
            () ->
                client
                        .resources(NodeNetworkConfigurationPolicy.class)
                        .withName("br1")
                        .edit(
                            p -> {
                              p.getSpec().setDesiredState(ControllerFixture.desiredState("br2"));
                              return p;
                            })
                    != null);
    assertThat(fx.policy("br1").getMetadata().getGeneration()).isEqualTo(2L);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              fx.agents.releaseAll();
              assertThat(fx.enactments("br1"))
                  .hasSize(4)
                  .allSatisfy(
                      n -> {
                        assertThat(n.getStatus()).as("status").isNotNull();
                        assertThat(n.getStatus().getPolicyGeneration()).isEqualTo(2L);
                        assertThat(n.getStatus().getDesiredState())
                            .isEqualTo(ControllerFixture.desiredState("br2"));
                        assertThat(status(n)).isEqualTo("Available");
                      });
            });
    awaitPolicy("br1", "Available/SuccessfullyConfigured: 4/4 nodes successfully configured");
    assertThat(fx.observer.maxUnavailable("br1")).isLessThanOrEqualTo(2);
  }

  @Test
  void restartingTheControllerMidRolloutStrandsNoNode() {
    nodes(5);
    behaveAll(5, Behavior.HOLD);
    fx.startController();
    fx.createPolicy("br1", WORKERS, new IntOrString(2));
    awaitCount("br1", "Pending", 3);

    fx.stopController();
    behaveAll(5, Behavior.SUCCEED);
    fx.agents.releaseAll();
    fx.startController();
    awaitPolicy("br1", "Available/SuccessfullyConfigured: 5/5 nodes successfully configured");
    assertThat(fx.enactments("br1")).allSatisfy(n -> assertThat(status(n)).isEqualTo("Available"));
    assertThat(fx.observer.maxUnavailable("br1")).isEqualTo(2);
  }

  @Test
  void notReadyNodeIsHeldBackUntilReady() {
    nodes(2);
    fx.agents.addNode("sick", WORKERS, false, true);
    fx.startController();
    fx.createPolicy("br1", WORKERS, null);
    awaitPolicy(
        "br1",
        "Available/SuccessfullyConfigured: 2/3 nodes successfully configured,"
            + " 1 nodes ignored due to NotReady state");
    var sick = fx.enactment("sick", "br1").orElseThrow();
    assertThat(EnactmentPhase.isGranted(sick, 1)).isFalse();
    assertThat(status(sick)).isEqualTo("none");

    client.nodes().withName("sick").editStatus(n -> ready(n, "True"));
    awaitPolicy("br1", "Available/SuccessfullyConfigured: 3/3 nodes successfully configured");
  }

  @Test
  void nodeWithoutAgentLeaseIsNotCounted() {
    nodes(2);
    fx.agents.addNode("no-agent", WORKERS, true, false);
    fx.startController();
    fx.createPolicy("br1", WORKERS, null);
    awaitPolicy("br1", "Available/SuccessfullyConfigured: 2/2 nodes successfully configured");
    assertThat(fx.enactment("no-agent", "br1")).isEmpty();

    fx.agents.startAgent("no-agent");
    awaitPolicy("br1", "Available/SuccessfullyConfigured: 3/3 nodes successfully configured");
  }

  @Test
  void captureWithoutEvaluatorFailsThatNodeClearly() {
    nodes(1);
    fx.startController(Optional.empty());
    var p = new NodeNetworkConfigurationPolicy();
    p.getMetadata().setName("cap");
    var spec = new io.multihome.api.nmstate.NodeNetworkConfigurationPolicySpec();
    spec.setDesiredState(ControllerFixture.desiredState("br1"));
    spec.setCapture(Map.of("gw", "routes.running.destination==\"0.0.0.0/0\""));
    p.setSpec(spec);
    client.resource(p).create();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var failing = condition(fx.existingEnactment("node-00", "cap"), "Failing");
              assertThat(failing.getStatus()).isEqualTo("True");
              assertThat(failing.getReason()).isEqualTo("FailedToConfigure");
              assertThat(failing.getMessage()).contains("capture not supported yet");
            });
    awaitPolicy("cap", "Degraded/FailedToConfigure: 1/1 nodes failed to configure");
  }

  @Test
  void captureIsEvaluatedAgainstTheNodesStateAndCached() throws Exception {
    nodes(1);
    publishCurrentState(
        "node-00",
        "{\"routes\": {\"running\": [{\"destination\": \"0.0.0.0/0\","
            + " \"next-hop-address\": \"198.18.0.1\", \"next-hop-interface\": \"eth1\"}]}}");
    fx.startController();
    var p = new NodeNetworkConfigurationPolicy();
    p.getMetadata().setName("cap");
    var spec = new io.multihome.api.nmstate.NodeNetworkConfigurationPolicySpec();
    spec.setDesiredState(
        (ObjectNode)
            MAPPER.readTree(
                "{\"interfaces\": [{\"name\": \"br1\", \"type\": \"linux-bridge\","
                    + " \"bridge\": {\"port\": [{\"name\":"
                    + " \"{{ capture.gw.routes.running.0.next-hop-interface }}\"}]}}]}"));
    spec.setCapture(Map.of("gw", "routes.running.destination==\"0.0.0.0/0\""));
    p.setSpec(spec);
    client.resource(p).create();
    awaitPolicy("cap", "Available/SuccessfullyConfigured: 1/1 nodes successfully configured");
    var status = fx.enactment("node-00", "cap").orElseThrow().getStatus();
    assertThat(status.getDesiredState().at("/interfaces/0/bridge/port/0/name").asText())
        .isEqualTo("eth1");
    assertThat(
            status
                .getCapturedStates()
                .get("gw")
                .getState()
                .at("/routes/running/0/next-hop-address"))
        .isEqualTo(MAPPER.readTree("\"198.18.0.1\""));
  }

  @Test
  void aBadCaptureExpressionFailsTheNodeWithACaret() throws Exception {
    nodes(1);
    publishCurrentState("node-00", "{\"routes\": {\"running\": []}}");
    fx.startController();
    var p = new NodeNetworkConfigurationPolicy();
    p.getMetadata().setName("cap");
    var spec = new io.multihome.api.nmstate.NodeNetworkConfigurationPolicySpec();
    spec.setDesiredState(ControllerFixture.desiredState("br1"));
    spec.setCapture(Map.of("gw", "routes.running.destination=!\"0.0.0.0/0\""));
    p.setSpec(spec);
    client.resource(p).create();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var failing = condition(fx.existingEnactment("node-00", "cap"), "Failing");
              assertThat(failing.getStatus()).isEqualTo("True");
              assertThat(failing.getMessage())
                  .startsWith("failure generating desiredState and capturedStates: capture gw")
                  .contains("^");
            });
  }

  private void publishCurrentState(String node, String json) throws Exception {
    var nns = new io.multihome.api.nmstate.NodeNetworkState();
    nns.getMetadata().setName(node);
    client.resource(nns).create();
    var status = new io.multihome.api.nmstate.NodeNetworkStateStatus();
    status.setCurrentState((ObjectNode) MAPPER.readTree(json));
    nns.setStatus(status);
    client.resource(nns).updateStatus();
  }

  @Test
  void pluggedInEvaluatorGetsCacheAndStateAndItsCapturesAreStored() {
    nodes(1);
    DesiredStateRenderer evaluator =
        (policy, desired, capture, cached, current) -> {
          var state = new CapturedState();
          state.setState(desired.deepCopy());
          var out = new HashMap<String, CapturedState>();
          capture.keySet().forEach(k -> out.put(k, state));
          return RenderResult.rendered((ObjectNode) desired.deepCopy(), out);
        };
    fx.startController(Optional.of(evaluator));
    var p = new NodeNetworkConfigurationPolicy();
    p.getMetadata().setName("cap");
    var spec = new io.multihome.api.nmstate.NodeNetworkConfigurationPolicySpec();
    spec.setDesiredState(ControllerFixture.desiredState("br1"));
    spec.setCapture(Map.of("gw", "routes.running"));
    p.setSpec(spec);
    client.resource(p).create();
    awaitPolicy("cap", "Available/SuccessfullyConfigured: 1/1 nodes successfully configured");
    JsonNode captured =
        fx.enactment("node-00", "cap")
            .orElseThrow()
            .getStatus()
            .getCapturedStates()
            .get("gw")
            .getState();
    assertThat(captured).isEqualTo(ControllerFixture.desiredState("br1"));
  }

  @Test
  void deletingThePolicyDeletesItsEnactments() {
    nodes(2);
    fx.startController();
    fx.createPolicy("br1", WORKERS, null);
    awaitPolicy("br1", "Available/SuccessfullyConfigured: 2/2 nodes successfully configured");
    client.resources(NodeNetworkConfigurationPolicy.class).withName("br1").delete();
    await().atMost(WAIT).until(() -> fx.enactments("br1").isEmpty() && fx.policy("br1") == null);
  }

  private static Node relabel(Node n, String role) {
    n.getMetadata().getLabels().put("role", role);
    return n;
  }

  private static Node ready(Node n, String status) {
    n.getStatus().getConditions().forEach(c -> c.setStatus(status));
    return n;
  }

  private void behaveAll(int nodes, Behavior behavior) {
    for (int i = 0; i < nodes; i++) {
      fx.agents.behave("node-%02d".formatted(i), behavior);
    }
  }

  /** Waits until exactly {@code count} enactments of {@code policy} show {@code status}. */
  private void awaitCount(String policy, String status, long count) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                fx.enactments(policy).stream().filter(n -> status(n).equals(status)).count()
                    == count);
  }
}
