package io.multihome.agent.cluster;

import static io.multihome.agent.cluster.Cluster.advance;
import static io.multihome.agent.cluster.Cluster.bridge;
import static io.multihome.agent.cluster.Cluster.enactment;
import static io.multihome.agent.cluster.Cluster.get;
import static io.multihome.agent.cluster.Cluster.trueType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: the agent knows work by what it is (NNCE UID and policy generation), not by name. To
 * the agent, a node leaving a policy and coming back, a policy deleted and created again and an
 * NNCE deleted by hand all look the same: the NNCE of that name is deleted and one with the same
 * name and generation appears. Here the test plays the controller's writes; the whole loop with the
 * real controller is {@code EnactmentLifecycleMockApiTest} in e2e.
 */
@EnableKubernetesMockClient(crud = true)
class EnactmentIdentityMockApiTest {
  static final String NODE = "node-a";
  static final String NAME = NODE + ".br-policy";

  KubernetesClient client;
  @TempDir Path stateDir;
  final List<NodeAgent> agents = new ArrayList<>();
  ScriptedNetwork network;

  @BeforeEach
  void setUp() {
    Cluster.node(client, NODE);
    network = new ScriptedNetwork();
  }

  @AfterEach
  void tearDown() {
    agents.forEach(NodeAgent::close);
  }

  NodeAgent start() {
    var config =
        AgentConfig.defaults(NODE, stateDir)
            .withMetricsPort(-1)
            .withBackoff(new Backoff(2, Duration.ofMillis(50), Duration.ofMillis(200)));
    var agent = NodeAgent.builder(client, network, config).probes(List::of).start();
    agents.add(agent);
    return agent;
  }

  void stop(NodeAgent agent) {
    agent.close();
    agents.remove(agent);
  }

  void awaitAvailable() {
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(trueType(get(client, NAME))).isEqualTo("Available"));
  }

  @Test
  void anEnactmentCreatedAgainWithTheSameNameAndGenerationIsEnactedAgain() {
    enactment(client, NODE, "br-policy", 1, bridge("br1", "198.18.1.1/24"), true);
    start();
    awaitAvailable();

    Cluster.delete(client, NAME);
    // The policy created again (or the node back in its selector): generation 1 again.
    enactment(client, NODE, "br-policy", 1, bridge("br2", "198.18.2.1/24"), true);
    awaitAvailable();
    assertThat(network.applied).containsExactly("br1", "br2");
    assertThat(network.interfaceNames()).contains("br2");
  }

  @Test
  void aFailedEnactmentCreatedAgainGetsAllItsAttemptsBack() {
    network
        .script(d -> new ApplyOutcome.RolledBack("EEXIST", List.of("create linux-bridge br1")))
        .script(d -> new ApplyOutcome.RolledBack("EEXIST", List.of("create linux-bridge br1")));
    enactment(client, NODE, "br-policy", 1, bridge("br1", "198.18.1.1/24"), true);
    start();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(trueType(get(client, NAME))).isEqualTo("Failing"));

    Cluster.delete(client, NAME);
    network.script(d -> new ApplyOutcome.RolledBack("EEXIST", List.of("create linux-bridge br1")));
    enactment(client, NODE, "br-policy", 1, bridge("br1", "198.18.1.1/24"), true);
    // Attempt 1 of 2 fails, attempt 2 succeeds: the old NNCE's two failures are not counted.
    awaitAvailable();
    assertThat(get(client, NAME).getStatus().getRetryCount()).containsEntry("1", 1);
    assertThat(network.applied).hasSize(4);
  }

  @Test
  void theResultOfAnApplyNeverLandsOnTheEnactmentThatReplacedIt() {
    enactment(client, NODE, "br-policy", 1, bridge("br1", "198.18.1.1/24"), true);
    // While br1 is applied, the NNCE is deleted and created again with another state (a policy
    // deleted and created again with other content).
    network.script(
        d -> {
          Cluster.delete(client, NAME);
          enactment(client, NODE, "br-policy", 1, bridge("br2", "198.18.2.1/24"), true);
          return new ApplyOutcome.Applied(List.of("create linux-bridge br1"));
        });
    start();

    await().atMost(Duration.ofSeconds(5)).until(() -> network.applied.size() == 2);
    awaitAvailable();
    assertThat(network.applied).containsExactly("br1", "br2");
  }

  @Test
  void aStateEditedBackToAnEarlierValueIsAppliedAgain() {
    enactment(client, NODE, "br-policy", 1, bridge("br1", "198.18.1.1/24"), true);
    start();
    awaitAvailable();
    advance(client, NAME, 2, bridge("br2", "198.18.2.1/24"));
    await().atMost(Duration.ofSeconds(5)).until(() -> network.applied.size() == 2);
    awaitAvailable();
    advance(client, NAME, 3, bridge("br1", "198.18.1.1/24"));
    await().atMost(Duration.ofSeconds(5)).until(() -> network.applied.size() == 3);
    awaitAvailable();
    assertThat(network.applied).containsExactly("br1", "br2", "br1");
    assertThat(get(client, NAME).getStatus().getPolicyGeneration()).isEqualTo(3L);
  }

  @Test
  void aRestartedAgentEnactsWhatWasCreatedAgainWhileItWasDownAndNothingElse() {
    enactment(client, NODE, "br-policy", 1, bridge("br1", "198.18.1.1/24"), true);
    enactment(client, NODE, "other-policy", 1, bridge("br9", "198.18.9.1/24"), true);
    var agent = start();
    awaitAvailable();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(trueType(get(client, NODE + ".other-policy"))).isEqualTo("Available"));
    stop(agent);

    Cluster.delete(client, NAME);
    enactment(client, NODE, "br-policy", 1, bridge("br2", "198.18.2.1/24"), true);
    start();
    awaitAvailable();
    // other-policy was finished before the restart: its Available condition is the record.
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(network.applied).containsExactly("br1", "br9", "br2"));
  }

  @Test
  void aRestartedAgentEnactsAnEnactmentCreatedAgainAfterItCameBack() {
    enactment(client, NODE, "br-policy", 1, bridge("br1", "198.18.1.1/24"), true);
    var agent = start();
    awaitAvailable();
    stop(agent);
    start();
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(network.applied).containsExactly("br1"));

    Cluster.delete(client, NAME);
    enactment(client, NODE, "br-policy", 1, bridge("br1", "198.18.1.1/24"), true);
    awaitAvailable();
    assertThat(network.applied).containsExactly("br1", "br1");
  }
}
