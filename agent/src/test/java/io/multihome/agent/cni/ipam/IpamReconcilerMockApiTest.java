package io.multihome.agent.cni.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.multihome.api.whereabouts.IPPool;
import io.multihome.api.whereabouts.OverlappingRangeIPReservation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** whereabouts' ip-reconciler semantics against the mock API. */
@EnableKubernetesMockClient(crud = true)
class IpamReconcilerMockApiTest {

  KubernetesClient client;

  private void pod(String name, String phase, String networkStatus) {
    var b =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace("apps")
            .withName(name)
            .endMetadata()
            .withNewStatus()
            .withPhase(phase)
            .endStatus();
    if (networkStatus != null) {
      b.editMetadata()
          .withAnnotations(Map.of("k8s.v1.cni.cncf.io/network-status", networkStatus))
          .endMetadata();
    }
    client.pods().inNamespace("apps").resource(b.build()).create();
  }

  private static String status(String ip) {
    return "[{\"name\":\"cluster\",\"ips\":[\"198.19.1.5\"],\"default\":true},"
        + "{\"name\":\"apps/macvlan1\",\"interface\":\"net1\",\"ips\":[\""
        + ip
        + "\"]}]";
  }

  @Test
  void freesWhatBelongsToPodsThatAreGoneAndKeepsTheRest() throws Exception {
    var store = new KubernetesPoolStore(client, "kube-system");
    var ipam = new WhereaboutsIpam(store, Backoff.defaults());
    var c =
        new WhereaboutsConfigParser(List.of())
            .parse(
                WhereaboutsConfigParserTest.config(
                    "{\"type\":\"whereabouts\",\"range\":\"198.18.90.0/24\"}"));
    for (String p : List.of("alive", "gone", "pending", "stale", "nostatus")) {
      ipam.add(c, new Owner("c-" + p, "apps/" + p, "net1"), List.of());
    }
    pod("alive", "Running", status("198.18.90.1"));
    pod("pending", "Pending", null);
    pod("stale", "Running", status("198.18.90.77")); // lists another address than its allocation
    pod("nostatus", "Running", null);
    // "gone" has no pod at all.

    var reconciler = new IpamReconciler(client, store, Backoff.defaults());
    var first = reconciler.sweep();
    assertThat(first.allocations()).containsExactly("198.18.90.0-24/198.18.90.2 apps/gone");
    assertThat(first.reservations()).containsExactly("198.18.90.2");
    assertThat(allocations()).containsOnlyKeys("1", "3", "4", "5");

    var second = reconciler.sweep();
    assertThat(second.allocations())
        .as("a live pod whose status lacks the address, seen twice")
        .containsExactly("198.18.90.0-24/198.18.90.4 apps/stale");
    assertThat(allocations()).containsOnlyKeys("1", "3", "5");
    assertThat(
            client
                .resources(OverlappingRangeIPReservation.class)
                .inNamespace("kube-system")
                .list()
                .getItems())
        .extracting(r -> r.getMetadata().getName())
        .as("the stale pod still exists: its reservation is not the reconciler's to drop")
        .containsExactlyInAnyOrder("198.18.90.1", "198.18.90.3", "198.18.90.4", "198.18.90.5");

    client.pods().inNamespace("apps").withName("alive").delete();
    var third = reconciler.sweep();
    assertThat(third.allocations()).containsExactly("198.18.90.0-24/198.18.90.1 apps/alive");
    assertThat(third.reservations()).containsExactly("198.18.90.1");
    assertThat(reconciler.sweep().allocations()).isEmpty();
  }

  /** The agent's way: one daemon wins the Lease and sweeps on its own. */
  @Test
  void theElectedDaemonSweepsByItself(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    var ipam =
        new WhereaboutsIpam(new KubernetesPoolStore(client, "kube-system"), Backoff.defaults());
    var c =
        new WhereaboutsConfigParser(List.of())
            .parse(
                WhereaboutsConfigParserTest.config(
                    "{\"type\":\"whereabouts\",\"range\":\"198.18.90.0/24\"}"));
    ipam.add(c, new Owner("c-gone", "apps/gone", "net1"), List.of());
    try (var daemon =
        IpamDaemon.start(
            client,
            tmp.resolve("ipam.sock"),
            IpamDaemon.Options.defaults().withFlatFiles(List.of()))) {
      daemon.startReconciler(java.time.Duration.ofMillis(200), "node-1", "multihome");
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(allocations()).isEmpty());
      assertThat(
              client
                  .leases()
                  .inNamespace("multihome")
                  .withName(IpamDaemon.LEASE)
                  .get()
                  .getSpec()
                  .getHolderIdentity())
          .isEqualTo("node-1");
    }
  }

  private Map<String, ?> allocations() {
    return client
        .resources(IPPool.class)
        .inNamespace("kube-system")
        .withName("198.18.90.0-24")
        .get()
        .getSpec()
        .getAllocations();
  }
}
