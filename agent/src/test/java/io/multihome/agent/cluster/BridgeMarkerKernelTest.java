package io.multihome.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.netlink.LinkSpec;
import io.multihome.agent.netlink.NamedNetns;
import io.multihome.agent.netlink.RtNetlink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge marker on a real kernel: a bridge created in a throwaway namespace standing in for the
 * node becomes {@code bridge.network.kubevirt.io/<bridge>} on the Node (mock API server) and goes
 * away with it. The delay from the netlink change to the Node update seen through a watch is the
 * benchmark of docs/benchmarks.md ("Bridge marker"), written to {@code
 * target/bridge-marker-benchmark.txt}; its target is under 2 s.
 */
@EnableKubernetesMockClient(crud = true)
class BridgeMarkerKernelTest {
  private static final Logger log = LoggerFactory.getLogger(BridgeMarkerKernelTest.class);
  static final String NODE = "bridge-node";
  static final String RESOURCE = BridgeResources.PREFIX + "br-mark";
  static final int ROUNDS = 10;

  KubernetesClient client;
  @TempDir Path stateDir;
  String ns;
  EngineNodeNetwork network;
  NodeAgent agent;
  final LinkedBlockingQueue<Node> updates = new LinkedBlockingQueue<>();

  @BeforeEach
  void setUp() {
    ns = "mh-bm-" + UUID.randomUUID().toString().substring(0, 8);
    NamedNetns.create(ns);
    Cluster.node(client, NODE, Map.of("cpu", "2"), Map.of("cpu", "2"));
  }

  @AfterEach
  void tearDown() {
    try {
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
  void aBridgeBecomesANodeResourceAndGoesWithIt() throws Exception {
    network = new EngineNodeNetwork(ns, stateDir);
    var config = AgentConfig.defaults(NODE, stateDir).withMetricsPort(-1).withProbes(false, null);
    agent = NodeAgent.builder(client, network, config).start();
    client
        .nodes()
        .withName(NODE)
        .watch(
            new Watcher<Node>() {
              @Override
              public void eventReceived(Action action, Node node) {
                updates.add(node);
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
    var publish = new ArrayList<Long>();
    var removal = new ArrayList<Long>();
    try (var nl = RtNetlink.openNamed(ns)) {
      // A veth is not a bridge: it must never appear.
      nl.links().add(LinkSpec.of("veth-a", LinkKind.Veth.peer("veth-b")));
      for (int round = 0; round < ROUNDS; round++) {
        updates.clear();
        long t0 = System.nanoTime();
        nl.links().add(LinkSpec.of("br-mark", LinkKind.Bridge.defaults()));
        var seen = awaitNode(n -> has(n, RESOURCE));
        publish.add((System.nanoTime() - t0) / 1_000_000);
        assertThat(seen.getStatus().getAllocatable()).containsKey(RESOURCE);
        assertThat(seen.getStatus().getCapacity().get(RESOURCE).toString()).isEqualTo("1000");
        assertThat(seen.getStatus().getCapacity()).containsKey("cpu");
        assertThat(seen.getStatus().getCapacity().keySet())
            .noneMatch(k -> k.contains("veth"))
            .noneMatch(k -> k.endsWith("/lo"));

        updates.clear();
        t0 = System.nanoTime();
        nl.links().delete("br-mark");
        var gone = awaitNode(n -> !has(n, RESOURCE));
        removal.add((System.nanoTime() - t0) / 1_000_000);
        assertThat(gone.getStatus().getAllocatable()).doesNotContainKey(RESOURCE);
        assertThat(gone.getStatus().getCapacity()).containsKey("cpu");
      }
    }
    report(publish, removal);
    assertThat(median(publish)).as("p50 ms from bridge creation to node resource").isLessThan(2000);
    assertThat(median(removal)).as("p50 ms from bridge deletion to removal").isLessThan(2000);
  }

  private Node awaitNode(Predicate<Node> condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      var n = updates.poll(100, TimeUnit.MILLISECONDS);
      if (n != null && condition.test(n)) {
        return n;
      }
    }
    throw new AssertionError("node never matched; now " + client.nodes().withName(NODE).get());
  }

  private static boolean has(Node n, String resource) {
    return n.getStatus() != null
        && n.getStatus().getCapacity() != null
        && n.getStatus().getCapacity().containsKey(resource);
  }

  private static long median(List<Long> values) {
    var sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static void report(List<Long> publish, List<Long> removal) throws IOException {
    var text =
        String.format(
            Locale.ROOT,
            "bridge marker, %d rounds, ms from the netlink change to the Node update (watch)%n"
                + "  bridge created -> resource published   p50 %5d  max %5d  runs %s%n"
                + "  bridge deleted -> resource removed     p50 %5d  max %5d  runs %s%n",
            publish.size(),
            median(publish),
            Collections.max(publish),
            publish,
            median(removal),
            Collections.max(removal),
            removal);
    log.info("BENCH {}", text);
    Files.writeString(Path.of("target", "bridge-marker-benchmark.txt"), text);
  }
}
