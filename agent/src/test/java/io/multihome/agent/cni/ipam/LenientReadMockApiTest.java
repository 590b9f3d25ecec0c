package io.multihome.agent.cni.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.multihome.agent.cni.exec.CniException;
import io.multihome.agent.cni.ipam.IpamReconciler.Sweep;
import io.multihome.agent.kube.ReadProblemEvents;
import io.multihome.api.whereabouts.IPPool;
import io.multihome.api.whereabouts.OverlappingRangeIPReservation;
import io.multihome.testkit.RawObjects;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: no IPPool or OverlappingRangeIPReservation can stop the IPAM. They are written as raw
 * JSON around the model (what a store without whereabouts' schema keeps). An unknown field is
 * ignored. A pool with a value of the wrong type cannot be read safely: its allocations may be
 * incomplete, so it gives out no address (the ADD error names the pool and the field) and is never
 * written; every other pool goes on. An unreadable reservation is someone else's. The reconciler
 * skips both with a Warning event and frees what it can read. Neither kind has an enum-typed field.
 */
@EnableKubernetesMockClient(crud = true)
class LenientReadMockApiTest {
  static final String NS = "kube-system";

  KubernetesClient client;

  /** One allocator for the whole test, as in the daemon: it reuses the pools it wrote last. */
  private WhereaboutsIpam ipam;

  private WhereaboutsIpam ipam() {
    if (ipam == null) {
      ipam = new WhereaboutsIpam(new KubernetesPoolStore(client, NS), Backoff.defaults());
    }
    return ipam;
  }

  private static WhereaboutsConfig config(String range) throws CniException {
    return new WhereaboutsConfigParser(List.of())
        .parse(
            WhereaboutsConfigParserTest.config(
                "{\"type\":\"whereabouts\",\"range\":\"" + range + "\"}"));
  }

  private static Owner owner(String pod) {
    return new Owner("c-" + pod, "apps/" + pod, "net1");
  }

  private List<String> add(WhereaboutsConfig config, String pod) throws CniException {
    return ipam().add(config, owner(pod), List.of()).stream().map(a -> a.ip().toString()).toList();
  }

  private void rawPool(String name, String spec) {
    RawObjects.write(
        client,
        IPPool.class,
        "{'apiVersion': 'whereabouts.cni.cncf.io/v1alpha1', 'kind': 'IPPool', 'metadata':"
            + " {'name': '"
            + name
            + "', 'namespace': '"
            + NS
            + "'}, 'spec': "
            + spec
            + "}");
  }

  private void rawReservation(String name, String spec) {
    RawObjects.write(
        client,
        OverlappingRangeIPReservation.class,
        "{'apiVersion': 'whereabouts.cni.cncf.io/v1alpha1', 'kind':"
            + " 'OverlappingRangeIPReservation', 'metadata': {'name': '"
            + name
            + "', 'namespace': '"
            + NS
            + "'}, 'spec': "
            + spec
            + "}");
  }

  private Map<String, Object> stored(Class<? extends HasMetadata> kind, String name) {
    var g =
        client
            .genericKubernetesResources(ResourceDefinitionContext.fromResourceType(kind))
            .inNamespace(NS)
            .withName(name)
            .get();
    return g == null ? null : g.getAdditionalProperties();
  }

  @Test
  void anUnreadablePoolGivesOutNothingAndNamesTheFieldWhileOtherPoolsGoOn() throws Exception {
    var a = config("198.18.72.0/24");
    var b = config("198.18.73.0/24");
    assertThat(add(a, "first")).containsExactly("198.18.72.1");

    // An id that is a list: the entry cannot be trusted, so neither can the pool.
    rawPool(
        "198.18.72.0-24",
        "{'range': '198.18.72.0/24', 'allocations': {'1': {'id': ['c-first'], 'podref':"
            + " 'apps/first', 'ifname': 'net1'}}}");
    var before = stored(IPPool.class, "198.18.72.0-24");
    assertThatThrownBy(() -> add(a, "second"))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(999);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "whereabouts: IPPool kube-system/198.18.72.0-24 cannot be read:"
                          + " spec.allocations.1.id: expected a string, got a list; no address"
                          + " is given out or freed in it until it is fixed");
            });
    assertThatThrownBy(() -> ipam().del(a, owner("first")))
        .hasMessageContaining("IPPool kube-system/198.18.72.0-24 cannot be read");
    assertThatThrownBy(() -> ipam().check(a, owner("first")))
        .hasMessageContaining("spec.allocations.1.id");
    assertThat(stored(IPPool.class, "198.18.72.0-24")).as("never written").isEqualTo(before);
    assertThat(stored(OverlappingRangeIPReservation.class, "198.18.72.2"))
        .as("the reservation taken before the refusal is given back")
        .isNull();

    // The allocations as a whole of the wrong type would read as "nothing allocated".
    rawPool("198.18.72.0-24", "{'range': '198.18.72.0/24', 'allocations': 'all of them'}");
    assertThatThrownBy(() -> add(a, "second"))
        .hasMessageContaining("spec.allocations: expected a map");

    // Another pool goes on, with unknown fields ignored.
    assertThat(add(b, "other")).containsExactly("198.18.73.1");
    rawPool(
        "198.18.73.0-24",
        "{'range': '198.18.73.0/24', 'color': 'blue', 'allocations': {'1': {'id': 'c-other',"
            + " 'podref': 'apps/other', 'ifname': 'net1', 'since': 'today'}}}");
    assertThat(add(b, "more")).containsExactly("198.18.73.2");

    // Fixed by hand: the pool serves again, without giving out the address it holds.
    rawPool(
        "198.18.72.0-24",
        "{'range': '198.18.72.0/24', 'allocations': {'1': {'id': 'c-first', 'podref':"
            + " 'apps/first', 'ifname': 'net1'}}}");
    assertThat(add(a, "second")).containsExactly("198.18.72.2");
  }

  @Test
  void anUnreadableReservationIsSomeoneElses() throws Exception {
    var c = config("198.18.74.0/24");
    rawReservation("198.18.74.1", "{'podref': {'namespace': 'apps', 'name': 'x'}}");
    assertThat(add(c, "a")).as("198.18.74.1 may be held: skipped").containsExactly("198.18.74.2");
    assertThat(ipam().del(c, owner("a"))).extracting(Ip::toString).containsExactly("198.18.74.2");
    assertThat(stored(OverlappingRangeIPReservation.class, "198.18.74.1")).isNotNull();
  }

  @Test
  void theReconcilerSkipsWhatItCannotReadAndFreesTheRest(@TempDir Path tmp) throws Exception {
    var good = config("198.18.75.0/24");
    add(good, "gone-1");
    rawPool(
        "198.18.76.0-24",
        "{'range': ['198.18.76.0/24'], 'allocations': {'1': {'id': 'c-gone-2', 'podref':"
            + " 'apps/gone-2', 'ifname': 'net1'}}}");
    rawReservation("198.18.76.1", "{'podref': 'apps/gone-2', 'containerid': {'id': 'c-gone-2'}}");
    var badPool = stored(IPPool.class, "198.18.76.0-24");
    // A pod of the wrong shape (an API server refuses it, a store without validation keeps it)
    // must not fail the pod list the sweep starts with.
    RawObjects.write(
        client,
        Pod.class,
        "{'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'odd', 'namespace': 'apps'},"
            + " 'spec': {'containers': 'nginx'}}");

    Sweep sweep;
    try (var daemon =
        IpamDaemon.start(
            client,
            tmp.resolve("ipam.sock"),
            IpamDaemon.Options.defaults().withNamespace(NS).withFlatFiles(List.of()))) {
      sweep = daemon.reconciler().sweep();
    }
    assertThat(sweep.allocations()).containsExactly("198.18.75.0-24/198.18.75.1 apps/gone-1");
    assertThat(sweep.reservations()).containsExactly("198.18.75.1");
    assertThat(stored(IPPool.class, "198.18.76.0-24")).isEqualTo(badPool);
    assertThat(stored(OverlappingRangeIPReservation.class, "198.18.76.1")).isNotNull();
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .allSatisfy(e -> assertThat(e.getReason()).isEqualTo(ReadProblemEvents.REASON))
        .extracting(e -> e.getInvolvedObject().getKind() + ": " + e.getMessage())
        .containsExactlyInAnyOrder(
            "IPPool: IPPool 198.18.76.0-24 has fields that cannot be read: spec.range: expected a"
                + " string, got a list; skipped by the IPAM reconciler",
            "OverlappingRangeIPReservation: OverlappingRangeIPReservation 198.18.76.1 has fields"
                + " that cannot be read: spec.containerid: expected a string, got an object;"
                + " skipped by the IPAM reconciler");
  }
}
