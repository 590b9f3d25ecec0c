package io.multihome.agent.cluster;

import static io.multihome.agent.cluster.Cluster.bridge;
import static io.multihome.agent.cluster.Cluster.enactment;
import static io.multihome.agent.cluster.Cluster.get;
import static io.multihome.agent.cluster.Cluster.trueType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.multihome.agent.engine.Engine;
import io.multihome.agent.engine.EngineHooks;
import io.multihome.agent.engine.Op;
import io.multihome.agent.engine.Target;
import io.multihome.agent.netlink.IpPrefix;
import io.multihome.agent.netlink.Link;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.netlink.LinkSpec;
import io.multihome.agent.netlink.NamedNetns;
import io.multihome.agent.netlink.NetNs;
import io.multihome.agent.netlink.Route;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.api.nmstate.ConditionReasons;
import io.multihome.api.nmstate.ConditionTypes;
import io.multihome.api.nmstate.NodeNetworkState;
import io.multihome.testkit.LinksReady;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against the mock API server with a throwaway namespace as its node, on the real node
 * state engine ({@link EngineNodeNetwork}; faults injected with the engine's {@link EngineHooks}).
 * The node namespace reaches a "gateway" namespace over a veth pair (198.18.0.2/24 → 198.18.0.1),
 * its default route, so the gateway-ping probe is real.
 */
@EnableKubernetesMockClient(crud = true)
class NodeAgentKernelTest {
  static final String NODE = "kernel-node";

  KubernetesClient client;
  @TempDir Path stateDir;
  String nodeNs;
  String gatewayNs;
  final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    var id = UUID.randomUUID().toString().substring(0, 8);
    nodeNs = "mh-en-" + id;
    gatewayNs = "mh-en-" + id + "-gw";
    NamedNetns.create(nodeNs);
    NamedNetns.create(gatewayNs);
    try (var node = RtNetlink.openNamed(nodeNs);
        var gw = RtNetlink.openNamed(gatewayNs);
        var gwNs = NetNs.named(gatewayNs)) {
      node.links().setUp("lo");
      gw.links().setUp("lo");
      node.links().add(LinkSpec.of("veth0", LinkKind.Veth.peer("gw0")));
      node.links().moveToNetns("gw0", gwNs);
      node.addresses().add(node.links().get("veth0").index(), IpPrefix.parse("198.18.0.2/24"));
      gw.addresses().add(gw.links().get("gw0").index(), IpPrefix.parse("198.18.0.1/24"));
      node.links().setUp("veth0");
      gw.links().setUp("gw0");
      node.routes()
          .add(
              Route.to(IpPrefix.parse("0.0.0.0/0"))
                  .via(IpPrefix.parseAddress("198.18.0.1"))
                  .dev(node.links().get("veth0").index()));
    }
    // The gateway-ping probe needs the veth pair up, which the kernel finishes asynchronously.
    LinksReady.awaitUp(nodeNs, "veth0");
    LinksReady.awaitUp(gatewayNs, "gw0");
    Cluster.node(client, NODE);
  }

  @AfterEach
  void tearDown() {
    for (var c : reversed(closeables)) {
      try {
        c.close();
      } catch (Exception e) {
        // keep cleaning
      }
    }
    NamedNetns.delete(nodeNs);
    NamedNetns.delete(gatewayNs);
    assertThat(NamedNetns.exists(nodeNs)).isFalse();
  }

  private static List<AutoCloseable> reversed(List<AutoCloseable> l) {
    var out = new ArrayList<>(l);
    java.util.Collections.reverse(out);
    return out;
  }

  EngineNodeNetwork network(EngineHooks hooks) {
    var n = new EngineNodeNetwork(nodeNs, stateDir, hooks);
    closeables.add(n);
    return n;
  }

  NodeAgent start(NodeNetwork network, int attempts) {
    Supplier<List<NodeProbe>> probes =
        () ->
            network.facts().defaultGateways().stream()
                .map(g -> (NodeProbe) new Probes.GatewayPing(network, g, Duration.ofSeconds(1)))
                .toList();
    var config =
        AgentConfig.defaults(NODE, stateDir)
            .withMetricsPort(-1)
            .withBackoff(new Backoff(attempts, Duration.ofMillis(100), Duration.ofMillis(400)));
    var agent = NodeAgent.builder(client, network, config).probes(probes).start();
    closeables.add(agent);
    return agent;
  }

  List<String> links() {
    try (var nl = RtNetlink.openNamed(nodeNs)) {
      return nl.links().list().stream().map(Link::name).sorted().toList();
    }
  }

  List<String> addresses(String link) {
    try (var nl = RtNetlink.openNamed(nodeNs)) {
      return nl.addresses().list(nl.links().get(link).index()).stream()
          .map(a -> a.local().toString())
          .toList();
    }
  }

  @Test
  void bridgePolicyIsEnactedWithProbes() {
    var network = network(EngineHooks.NONE);
    var agent = start(network, 5);
    await().atMost(Duration.ofSeconds(5)).until(agent::ready);
    assertThat(network.facts().defaultGateways()).hasSize(1);

    long t0 = System.nanoTime();
    enactment(client, NODE, "br1-policy", 1, bridge("br1", "198.18.1.1/24"), true);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(trueType(get(client, NODE + ".br1-policy"))).isEqualTo("Available"));
    System.out.printf("NNCE created -> Available: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    assertThat(links()).contains("br1");
    assertThat(addresses("br1")).contains("198.18.1.1/24");
  }

  @Test
  void probeFailureRollsBackAndFailsWithAShortReason() {
    var network = network(EngineHooks.NONE);
    var before = links();
    start(network, 1);
    // A /25 on a port-less bridge takes the route to the gateway away from veth0.
    enactment(client, NODE, "steal-gw", 1, bridge("br-bad", "198.18.0.100/25"), true);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(trueType(get(client, NODE + ".steal-gw"))).isEqualTo("Failing"));
    var failing = Cluster.condition(get(client, NODE + ".steal-gw"), ConditionTypes.FAILING);
    assertThat(failing.getReason()).isEqualTo(ConditionReasons.FAILED_TO_CONFIGURE);
    assertThat(failing.getMessage())
        .startsWith("attempt 1/1: probe gateway-ping failed: ping 198.18.0.1: default gateway")
        .contains("ip link add br-bad type bridge")
        .hasSizeLessThan(1024);
    assertThat(links()).isEqualTo(before);
  }

  @Test
  void kernelErrorMidPlanRollsBackAndRetries() {
    var network = network(EngineHooks.NONE);
    var before = links();
    start(network, 2);
    var desired = bridge("br-ok", "198.18.1.1/24");
    // The kernel refuses a gateway no connected network reaches (ENETUNREACH), after br-ok and
    // its address exist: the route is the plan's last stage.
    desired
        .putObject("routes")
        .putArray("config")
        .addObject()
        .put("destination", "198.19.9.0/24")
        .put("next-hop-address", "203.0.113.9")
        .put("next-hop-interface", "br-ok");
    enactment(client, NODE, "two-bridges", 1, desired, true);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              var nnce = get(client, NODE + ".two-bridges");
              assertThat(trueType(nnce)).isEqualTo("Failing");
              assertThat(Cluster.condition(nnce, ConditionTypes.FAILING).getReason())
                  .isEqualTo(ConditionReasons.FAILED_TO_CONFIGURE);
            });
    var nnce = get(client, NODE + ".two-bridges");
    assertThat(Cluster.condition(nnce, ConditionTypes.FAILING).getMessage())
        .startsWith("attempt 2/2: ")
        .contains("ENETUNREACH")
        .contains("planned changes: ip link add br-ok type bridge");
    assertThat(nnce.getStatus().getRetryCount()).containsEntry("1", 2);
    assertThat(links()).isEqualTo(before);
  }

  @Test
  void agentKilledMidApplyIsRolledBackOnRestartAndTheEnactmentRetried() {
    var before = links();
    var crashing =
        network(
            new EngineHooks() {
              @Override
              public void beforeOp(int position, Op op) {
                if (position == 1) {
                  throw new SimulatedCrash(op.describe());
                }
              }
            });
    var first = start(crashing, 5);
    enactment(client, NODE, "br1-policy", 1, bridge("br1", "198.18.1.1/24"), true);
    // Died after creating br1, before setting it up and addressing it: br1 is half-configured,
    // NNCE Progressing.
    await().atMost(Duration.ofSeconds(5)).until(() -> links().contains("br1"));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(stateDir.resolve("checkpoint-" + nodeNs + ".json")).exists());
    first.close();
    assertThat(trueType(get(client, NODE + ".br1-policy"))).isEqualTo("Progressing");
    assertThat(addresses("br1")).doesNotContain("198.18.1.1/24");

    var afterRecovery = new AtomicReference<List<String>>();
    var real = network(EngineHooks.NONE);
    var watching =
        new ForwardingNetwork(real) {
          @Override
          public Optional<String> recoverLeftoverCheckpoint() {
            var r = super.recoverLeftoverCheckpoint();
            afterRecovery.set(links());
            return r;
          }
        };
    var second = start(watching, 5);
    assertThat(second.recovered()).hasValueSatisfying(r -> assertThat(r).contains("rolled back"));
    assertThat(afterRecovery.get()).isEqualTo(before);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(trueType(get(client, NODE + ".br1-policy"))).isEqualTo("Available"));
    assertThat(addresses("br1")).contains("198.18.1.1/24");
    assertThat(stateDir.resolve("checkpoint-" + nodeNs + ".json")).doesNotExist();
  }

  @Test
  void nodeStateFollowsAnOutOfBandLink() throws Exception {
    var network = network(EngineHooks.NONE);
    var agent = start(network, 5);
    var states = client.resources(NodeNetworkState.class).withName(NODE);
    await().atMost(Duration.ofSeconds(5)).until(() -> agent.ready() && states.get() != null);
    assertThat(states.get().getStatus().getCurrentState().toString())
        .contains("veth0")
        .doesNotContain("mh-oob");

    long t0 = System.nanoTime();
    var ip =
        new ProcessBuilder("ip", "-n", nodeNs, "link", "add", "mh-oob", "type", "bridge")
            .inheritIO()
            .start();
    assertThat(ip.waitFor()).isZero();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(states.get().getStatus().getCurrentState().toString())
                    .contains("mh-oob"));
    System.out.printf("out-of-band link -> NNS: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * Issue 19, deliverable 3: {@code multihome apply} evaluates captures against exactly the state
   * this agent publishes in its NNS, which is what the controller evaluates them against.
   */
  @Test
  void theCliEvaluatesCapturesAgainstTheStateTheAgentPublishes() {
    var agent = start(network(EngineHooks.NONE), 5);
    var states = client.resources(NodeNetworkState.class).withName(NODE);
    await().atMost(Duration.ofSeconds(5)).until(() -> agent.ready() && states.get() != null);

    try (var engine = Engine.open(Target.of(nodeNs), stateDir)) {
      var cli = EngineNodeNetwork.published(engine);

      // As JSON text: the NNS comes back from the API server with its own number node types.
      assertThat(cli.toString()).isEqualTo(states.get().getStatus().getCurrentState().toString());
      assertThat(cli.at("/routes/running/0/destination").asText()).isEqualTo("0.0.0.0/0");
      assertThat(cli.at("/routes/running/0/next-hop-interface").asText()).isEqualTo("veth0");
    }
  }

  /** Stands for SIGKILL: an Error the apply code does not catch, so nothing is rolled back. */
  static final class SimulatedCrash extends Error {
    SimulatedCrash(String op) {
      super("simulated crash before " + op);
    }
  }
}
