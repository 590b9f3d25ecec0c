package io.multihome.agent.cluster;

import static io.multihome.agent.cluster.Cluster.bridge;
import static io.multihome.agent.cluster.Cluster.enactment;
import static io.multihome.agent.cluster.Cluster.get;
import static io.multihome.agent.cluster.Cluster.trueType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.multihome.api.nmstate.ConditionReasons;
import io.multihome.api.nmstate.ConditionTypes;
import io.multihome.api.nmstate.EnactmentConditions;
import io.multihome.api.nmstate.NodeNetworkState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class NodeAgentMockApiTest {
  static final String NODE = "node-a";

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

  AgentConfig config(int attempts) {
    return AgentConfig.defaults(NODE, stateDir)
        .withMetricsPort(-1)
        .withBackoff(new Backoff(attempts, Duration.ofMillis(50), Duration.ofMillis(200)));
  }

  NodeAgent start(AgentConfig config, Supplier<List<NodeProbe>> probes) {
    var agent = NodeAgent.builder(client, network, config).probes(probes).start();
    agents.add(agent);
    return agent;
  }

  NodeAgent start(int attempts) {
    return start(config(attempts), List::of);
  }

  @Test
  void grantedEnactmentBecomesAvailableAndNodeStateIsPublished() {
    enactment(client, NODE, "br1-policy", 1, bridge("br1", "198.18.1.1/24"), true);
    start(5);

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(trueType(get(client, NODE + ".br1-policy"))).isEqualTo("Available"));
    var nnce = get(client, NODE + ".br1-policy");
    var available = Cluster.condition(nnce, ConditionTypes.AVAILABLE);
    assertThat(available.getReason()).isEqualTo(ConditionReasons.SUCCESSFULLY_CONFIGURED);
    assertThat(available.getMessage()).isEqualTo("successfully reconciled");
    assertThat(available.getLastTransitionTime()).isNotNull();
    assertThat(Cluster.condition(nnce, ConditionTypes.PROGRESSING).getStatus()).isEqualTo("False");
    assertThat(network.interfaceNames()).contains("br1");

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              var nns = client.resources(NodeNetworkState.class).withName(NODE).get();
              assertThat(nns).isNotNull();
              assertThat(nns.getStatus()).as("status").isNotNull();
              assertThat(nns.getStatus().getCurrentState().toString()).contains("\"br1\"");
              assertThat(nns.getStatus().getLastSuccessfulUpdateTime()).isNotNull();
              assertThat(nns.getMetadata().getOwnerReferences()).hasSize(1);
            });
    var lease =
        client
            .resources(Lease.class)
            .inNamespace("multihome")
            .withName("multihome-agent-" + NODE)
            .get();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(NODE);
    assertThat(lease.getSpec().getRenewTime()).isNotNull();
  }

  @Test
  void enactmentsWithoutAGrantForTheirGenerationAreLeftAlone() {
    enactment(client, NODE, "not-granted", 1, bridge("br1", "198.18.1.1/24"), false);
    var stale = enactment(client, NODE, "stale-grant", 2, bridge("br2", "198.18.2.1/24"), false);
    stale.getMetadata().getAnnotations().put(Grants.GRANT_ANNOTATION, "1");
    client.resource(stale).update();
    enactment(client, NODE, "z-granted", 1, bridge("br3", "198.18.3.1/24"), true);
    start(5);

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(trueType(get(client, NODE + ".z-granted"))).isEqualTo("Available"));
    assertThat(network.applied).containsExactly("br3");
    assertThat(trueType(get(client, NODE + ".not-granted"))).isEqualTo("none");
    assertThat(trueType(get(client, NODE + ".stale-grant"))).isEqualTo("none");
  }

  @Test
  void enactsOneAtATimeInPolicyNameOrder() {
    enactment(client, NODE, "c-policy", 1, bridge("brc", "198.18.3.1/24"), true);
    enactment(client, NODE, "a-policy", 1, bridge("bra", "198.18.1.1/24"), true);
    enactment(client, NODE, "b-policy", 1, bridge("brb", "198.18.2.1/24"), true);
    // Another node's enactment is filtered out by the label selector.
    enactment(client, "node-b", "a-policy", 1, bridge("other", "198.18.4.1/24"), true);
    start(5);

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(network.applied).hasSize(3));
    assertThat(network.applied).containsExactly("bra", "brb", "brc");
    assertThat(network.overlapped).isFalse();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(trueType(get(client, NODE + ".c-policy"))).isEqualTo("Available"));
    assertThat(trueType(get(client, "node-b.a-policy"))).isEqualTo("none");
  }

  @Test
  void probeFailingAfterTheChangeRollsBackAndFailsWithAShortReason() {
    var changed = new java.util.concurrent.atomic.AtomicBoolean();
    network.listeners.add(() -> changed.set(network.interfaceNames().contains("br1")));
    Supplier<List<NodeProbe>> probes =
        () ->
            List.of(
                new ScriptedProbe(
                    "gateway-ping",
                    () ->
                        changed.get() ? "default gateway 198.18.0.1 does not answer ping" : null));
    enactment(client, NODE, "br1-policy", 1, bridge("br1", "198.18.1.1/24"), true);
    start(config(2), probes);

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              var nnce = get(client, NODE + ".br1-policy");
              assertThat(trueType(nnce)).isEqualTo("Failing");
              assertThat(Cluster.condition(nnce, ConditionTypes.FAILING).getReason())
                  .isEqualTo(ConditionReasons.FAILED_TO_CONFIGURE);
            });
    var nnce = get(client, NODE + ".br1-policy");
    var message = Cluster.condition(nnce, ConditionTypes.FAILING).getMessage();
    assertThat(message)
        .startsWith(
            "attempt 2/2: probe gateway-ping failed: scripted gateway-ping: default gateway")
        .contains("planned changes: create linux-bridge br1");
    assertThat(message.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
    assertThat(nnce.getStatus().getRetryCount()).isEqualTo(Map.of("1", 2));
    assertThat(network.interfaceNames()).containsExactly("eth0");
    assertThat(network.applied).hasSize(2);
  }

  @Test
  void probeAlreadyFailingBeforeTheChangeIsNotRequired() {
    Supplier<List<NodeProbe>> probes =
        () -> List.of(new ScriptedProbe("dns", () -> "resolver 198.18.0.53 did not answer"));
    enactment(client, NODE, "br1-policy", 1, bridge("br1", "198.18.1.1/24"), true);
    start(config(5), probes);

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(trueType(get(client, NODE + ".br1-policy"))).isEqualTo("Available"));
    assertThat(network.interfaceNames()).contains("br1");
  }

  @Test
  void kernelErrorsAreRetriedWithBackoffThenSucceed() {
    network
        .script(
            d ->
                new ApplyOutcome.RolledBack(
                    "create br1: File exists (EEXIST)", List.of("create linux-bridge br1")))
        .script(
            d ->
                new ApplyOutcome.RolledBack(
                    "create br1: File exists (EEXIST)", List.of("create linux-bridge br1")));
    enactment(client, NODE, "br1-policy", 1, bridge("br1", "198.18.1.1/24"), true);
    var seen = new java.util.concurrent.CopyOnWriteArrayList<String>();
    var watch =
        client
            .resources(io.multihome.api.nmstate.NodeNetworkConfigurationEnactment.class)
            .withName(NODE + ".br1-policy")
            .inform(
                new io.fabric8.kubernetes.client.informers.ResourceEventHandler<>() {
                  @Override
                  public void onAdd(io.multihome.api.nmstate.NodeNetworkConfigurationEnactment o) {}

                  @Override
                  public void onUpdate(
                      io.multihome.api.nmstate.NodeNetworkConfigurationEnactment o,
                      io.multihome.api.nmstate.NodeNetworkConfigurationEnactment n) {
                    var f =
                        n.getStatus() == null
                            ? null
                            : EnactmentRows.find(
                                n.getStatus().getConditions(), ConditionTypes.FAILING);
                    if (f != null && f.getReason() != null) {
                      seen.add(f.getReason() + ":" + f.getStatus());
                    }
                  }

                  @Override
                  public void onDelete(
                      io.multihome.api.nmstate.NodeNetworkConfigurationEnactment o, boolean u) {}
                });
    try {
      start(5);
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> assertThat(trueType(get(client, NODE + ".br1-policy"))).isEqualTo("Available"));
      var nnce = get(client, NODE + ".br1-policy");
      assertThat(nnce.getStatus().getRetryCount()).isEqualTo(Map.of("1", 2));
      assertThat(network.applied).hasSize(3);
      assertThat(seen).contains("Retrying:True");
    } finally {
      watch.close();
    }
  }

  @Test
  void rejectedStateFailsAtOnceWithoutRetrying() {
    network.script(d -> new ApplyOutcome.Rejected("interfaces[0].type: 'bond' is not supported"));
    enactment(client, NODE, "bond-policy", 1, bridge("bond0", "198.18.1.1/24"), true);
    start(5);

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(trueType(get(client, NODE + ".bond-policy"))).isEqualTo("Failing"));
    var failing = Cluster.condition(get(client, NODE + ".bond-policy"), ConditionTypes.FAILING);
    assertThat(failing.getReason()).isEqualTo(ConditionReasons.FAILED_TO_CONFIGURE);
    assertThat(failing.getMessage()).contains("interfaces[0].type");
    assertThat(network.applied).hasSize(1);
  }

  @Test
  void restartRecoversTheCheckpointFirstAndReenactsProgressingEnactments() {
    var nnce = enactment(client, NODE, "br1-policy", 1, bridge("br1", "198.18.1.1/24"), true);
    // The previous agent wrote Progressing and died mid-apply.
    nnce.getStatus()
        .setConditions(
            EnactmentRows.merge(null, EnactmentConditions.progressing(), java.time.Instant.now()));
    client.resource(nnce).updateStatus();
    network.leftover = "rolled back checkpoint-node.json";
    var agent = start(5);

    assertThat(agent.recovered()).contains("rolled back checkpoint-node.json");
    assertThat(network.events).first().isEqualTo("recover");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(trueType(get(client, NODE + ".br1-policy"))).isEqualTo("Available"));
    assertThat(network.applied).containsExactly("br1");
  }

  @Test
  void statusAfterTheChangeGoesThroughFreshClientsUntilTheApiAnswers() {
    var calls = new java.util.concurrent.atomic.AtomicInteger();
    var cfg = client.getConfiguration();
    Supplier<KubernetesClient> flaky =
        () -> {
          if (calls.incrementAndGet() <= 2) {
            // As after a change that broke the old route: the first connections fail.
            throw new io.fabric8.kubernetes.client.KubernetesClientException("connection refused");
          }
          return new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(cfg).build();
        };
    enactment(client, NODE, "br1-policy", 1, bridge("br1", "198.18.1.1/24"), true);
    var agent =
        NodeAgent.builder(client, network, config(5)).freshClients(flaky).probes(List::of).start();
    agents.add(agent);

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(trueType(get(client, NODE + ".br1-policy"))).isEqualTo("Available"));
    assertThat(calls.get()).isEqualTo(3);
    assertThat(network.applied).hasSize(1);
  }

  @Test
  void onlyOneAgentPerStateDirectory() {
    start(5);
    assertThatThrownBy(() -> NodeAgent.builder(client, new ScriptedNetwork(), config(5)).start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("only one agent may run per node");
  }

  @Test
  void nodeStateFollowsChangesIsNotRewrittenWhenUnchangedAndIsRecreatedWhenDeleted() {
    var agent = start(5);
    var states = client.resources(NodeNetworkState.class).withName(NODE);
    await().atMost(Duration.ofSeconds(5)).until(() -> states.get() != null && agent.ready());
    var version = states.get().getMetadata().getResourceVersion();

    network.listeners.forEach(Runnable::run); // an event without a change
    await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> true);
    assertThat(states.get().getMetadata().getResourceVersion()).isEqualTo(version);

    long t0 = System.nanoTime();
    network.addOutOfBand("mh-oob", "linux-bridge");
    await()
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(
            () ->
                assertThat(states.get().getStatus().getCurrentState().toString())
                    .contains("mh-oob"));
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .isGreaterThanOrEqualTo(Duration.ofMillis(900));

    states.delete();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              var nns = states.get();
              assertThat(nns).isNotNull();
              assertThat(nns.getStatus()).as("status").isNotNull();
              assertThat(nns.getStatus().getCurrentState().toString()).contains("mh-oob");
            });
  }

  private static String scrape(HttpClient http, String base) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void healthReadinessAndMetricsAreServed() throws Exception {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    enactment(client, NODE, "br1-policy", 1, bridge("br1", "198.18.1.1/24"), true);
    var agent =
        NodeAgent.builder(client, network, config(5).withMetricsPort(0))
            .registry(registry)
            .probes(() -> List.of(new ScriptedProbe("api-server", () -> null)))
            .start();
    agents.add(agent);
    await().atMost(Duration.ofSeconds(5)).until(agent::ready);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(trueType(get(client, NODE + ".br1-policy"))).isEqualTo("Available"));

    var http = HttpClient.newHttpClient();
    var base = "http://127.0.0.1:" + agent.httpPort();
    assertThat(
            http.send(
                    HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(200);
    assertThat(
            http.send(
                    HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(scrape(http, base))
                    .contains("multihome_agent_interfaces{type=\"linux-bridge\"} 1.0"));
    var metrics =
        http.send(
                HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .contains("multihome_agent_apply_duration_seconds_count{outcome=\"applied\"} 1")
        .contains(
            "multihome_agent_probe_results_total{phase=\"before\",probe=\"api-server\",result=\"pass\"} 1.0")
        .contains(
            "multihome_agent_probe_results_total{phase=\"after\",probe=\"api-server\",result=\"pass\"} 1.0")
        .contains("multihome_agent_interfaces{type=\"linux-bridge\"} 1.0");
  }
}
