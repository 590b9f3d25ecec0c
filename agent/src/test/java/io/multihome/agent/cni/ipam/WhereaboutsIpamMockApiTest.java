package io.multihome.agent.cni.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.multihome.agent.cni.exec.CniException;
import io.multihome.api.whereabouts.IPAllocation;
import io.multihome.api.whereabouts.IPPool;
import io.multihome.api.whereabouts.IPPoolSpec;
import io.multihome.api.whereabouts.OverlappingRangeIPReservation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Allocation against fabric8's CRUD mock API: the objects whereabouts itself reads and writes. */
@EnableKubernetesMockClient(crud = true)
class WhereaboutsIpamMockApiTest {

  static final String NS = "kube-system";

  KubernetesClient client;
  KubernetesMockServer server;
  @TempDir Path tmp;

  private WhereaboutsIpam ipam(KubernetesClient c) {
    return new WhereaboutsIpam(new KubernetesPoolStore(c, NS), Backoff.defaults());
  }

  private WhereaboutsConfig config(String ipam) throws CniException {
    return new WhereaboutsConfigParser(List.of()).parse(WhereaboutsConfigParserTest.config(ipam));
  }

  private static Owner owner(String pod, String ifname) {
    return new Owner("c-" + pod + "-" + ifname, "apps/" + pod, ifname);
  }

  private IPPool pool(String name) {
    return client.resources(IPPool.class).inNamespace(NS).withName(name).get();
  }

  private List<String> addresses(List<WhereaboutsIpam.Assigned> assigned) {
    return assigned.stream().map(a -> a.cidr().address() + "/" + a.cidr().prefix()).toList();
  }

  @Test
  void allocatesLowestFirstIntoWhereaboutsOwnObjectsAndFreesOnDel() throws Exception {
    var ipam = ipam(client);
    var c = config("{\"type\":\"whereabouts\",\"range\":\"198.18.70.0/24\"}");
    assertThat(addresses(ipam.add(c, owner("a", "net1"), List.of())))
        .containsExactly("198.18.70.1/24");
    assertThat(addresses(ipam.add(c, owner("b", "net1"), List.of())))
        .containsExactly("198.18.70.2/24");

    IPPool pool = pool("198.18.70.0-24");
    assertThat(pool.getSpec().getRange()).isEqualTo("198.18.70.0/24");
    assertThat(pool.getSpec().getAllocations())
        .containsEntry("1", new IPAllocation("c-a-net1", "apps/a", "net1"))
        .containsEntry("2", new IPAllocation("c-b-net1", "apps/b", "net1"));
    var reservation =
        client
            .resources(OverlappingRangeIPReservation.class)
            .inNamespace(NS)
            .withName("198.18.70.1")
            .get();
    assertThat(reservation.getSpec().getPodRef()).isEqualTo("apps/a");
    assertThat(reservation.getSpec().getIfName()).isEqualTo("net1");

    assertThat(ipam.del(c, owner("a", "net1")))
        .extracting(Ip::toString)
        .containsExactly("198.18.70.1");
    assertThat(pool("198.18.70.0-24").getSpec().getAllocations()).containsOnlyKeys("2");
    assertThat(
            client
                .resources(OverlappingRangeIPReservation.class)
                .inNamespace(NS)
                .withName("198.18.70.1")
                .get())
        .isNull();
    assertThat(ipam.del(c, owner("a", "net1")))
        .as("unknown allocation: nothing, no error")
        .isEmpty();
    assertThat(ipam.del(c, owner("never", "net1"))).isEmpty();
    assertThat(addresses(ipam.add(c, owner("c", "net1"), List.of())))
        .containsExactly("198.18.70.1/24");
  }

  @Test
  void repeatedAddOfTheSamePodInterfaceKeepsTheAddressAndTakesTheNewSandbox() throws Exception {
    var ipam = ipam(client);
    var c = config("{\"type\":\"whereabouts\",\"range\":\"198.18.71.0/24\"}");
    ipam.add(c, new Owner("sandbox-1", "apps/web", "net1"), List.of());
    var again = ipam.add(c, new Owner("sandbox-2", "apps/web", "net1"), List.of());
    assertThat(addresses(again)).containsExactly("198.18.71.1/24");
    assertThat(pool("198.18.71.0-24").getSpec().getAllocations())
        .containsExactly(Map.entry("1", new IPAllocation("sandbox-2", "apps/web", "net1")));
    assertThat(ipam.del(c, new Owner("sandbox-1", "apps/web", "net1")))
        .as("the old sandbox's DEL no longer owns it")
        .isEmpty();
    assertThat(addresses(ipam.add(c, new Owner("sandbox-2", "apps/web", "net2"), List.of())))
        .as("another interface of the same pod is another allocation")
        .containsExactly("198.18.71.2/24");
  }

  @Test
  void startEndAndExcludeBoundTheRangeAndExhaustionNamesIt() throws Exception {
    var ipam = ipam(client);
    var c =
        config(
            "{\"type\":\"whereabouts\",\"range\":\"198.18.72.8-198.18.72.14/28\","
                + "\"exclude\":[\"198.18.72.8/30\",\"198.18.72.13\"]}");
    assertThat(addresses(ipam.add(c, owner("a", "net1"), List.of())))
        .containsExactly("198.18.72.12/28");
    assertThat(addresses(ipam.add(c, owner("b", "net1"), List.of())))
        .containsExactly("198.18.72.14/28");
    assertThatThrownBy(() -> ipam.add(c, owner("c", "net1"), List.of()))
        .hasMessageContaining("no free address in 198.18.72.8-198.18.72.14 of 198.18.72.0/28");
  }

  @Test
  void requestedAddressesAreCheckedAgainstThePool() throws Exception {
    var ipam = ipam(client);
    var c =
        config(
            "{\"type\":\"whereabouts\",\"range\":\"198.18.73.0/24\",\"exclude\":[\"198.18.73.200/29\"]}");
    var req =
        RequestedIps.from(
            ("{\"args\":{\"cni\":{\"ips\":[\"198.18.73.50/24\"]}},\"ipam\":{}}").getBytes(), null);
    assertThat(addresses(ipam.add(c, owner("a", "net1"), req))).containsExactly("198.18.73.50/24");
    assertThat(pool("198.18.73.0-24").getSpec().getAllocations()).containsOnlyKeys("50");
    assertThat(addresses(ipam.add(c, owner("b", "net1"), List.of())))
        .containsExactly("198.18.73.1/24");

    assertThatThrownBy(() -> ipam.add(c, owner("c", "net1"), req))
        .hasMessageContaining(
            "args.cni.ips[0]: cannot assign 198.18.73.50: it is in use by apps/a (net1)");
    assertThatThrownBy(() -> ipam.add(c, owner("c", "net1"), request("198.18.73.201")))
        .hasMessageContaining("it is excluded (198.18.73.200/29)");
    assertThatThrownBy(() -> ipam.add(c, owner("c", "net1"), request("198.18.73.255")))
        .hasMessageContaining("the pool hands out 198.18.73.1-198.18.73.254 only");
    assertThatThrownBy(() -> ipam.add(c, owner("c", "net1"), request("198.18.74.5")))
        .hasMessageContaining("198.18.74.5 is in none of the network's ranges [198.18.73.0/24]");
    assertThatThrownBy(() -> ipam.add(c, owner("c", "net1"), request("198.18.73.9/25")))
        .hasMessageContaining("the range 198.18.73.0/24 has prefix /24");
    assertThat(pool("198.18.73.0-24").getSpec().getAllocations()).containsOnlyKeys("50", "1");
  }

  private static List<RequestedIps.Request> request(String ip) throws CniException {
    return RequestedIps.from(
        ("{\"runtimeConfig\":{\"ips\":[\"" + ip + "\"]},\"ipam\":{}}").getBytes(), null);
  }

  @Test
  void dualStackTakesOneOfEachAndGivesTheFirstBackWhenTheSecondFails() throws Exception {
    var ipam = ipam(client);
    var c =
        config(
            "{\"type\":\"whereabouts\",\"ipRanges\":[{\"range\":\"198.18.74.0/24\"},"
                + "{\"range\":\"2001:db8:74::/125\"}]}");
    assertThat(addresses(ipam.add(c, owner("a", "net1"), List.of())))
        .containsExactly("198.18.74.1/24", "2001:db8:74::1/125");
    assertThat(pool("2001-db8-74---125").getSpec().getAllocations()).containsOnlyKeys("1");
    for (String pod : List.of("b", "c", "d", "e", "f")) {
      ipam.add(c, owner(pod, "net1"), List.of());
    }
    assertThatThrownBy(() -> ipam.add(c, owner("g", "net1"), List.of()))
        .hasMessageContaining("no free address in 2001:db8:74::1-2001:db8:74::6");
    assertThat(pool("198.18.74.0-24").getSpec().getAllocations())
        .as("g's IPv4 address was given back")
        .hasSize(6)
        .doesNotContainKey("7");
  }

  @Test
  void overlappingRangesNeverShareAnAddressUnlessDisabledOrNamedApart() throws Exception {
    var ipam = ipam(client);
    var wide = config("{\"type\":\"whereabouts\",\"range\":\"198.18.75.0/24\"}");
    var narrow = config("{\"type\":\"whereabouts\",\"range\":\"198.18.75.0/28\"}");
    assertThat(addresses(ipam.add(wide, owner("a", "net1"), List.of())))
        .containsExactly("198.18.75.1/24");
    assertThat(addresses(ipam.add(narrow, owner("b", "net1"), List.of())))
        .as("198.18.75.1 is reserved network-wide")
        .containsExactly("198.18.75.2/28");
    var noCheck =
        config(
            "{\"type\":\"whereabouts\",\"range\":\"198.18.75.0/27\",\"enable_overlapping_ranges\":false}");
    assertThat(addresses(ipam.add(noCheck, owner("c", "net1"), List.of())))
        .containsExactly("198.18.75.1/27");
    var named =
        config(
            "{\"type\":\"whereabouts\",\"range\":\"198.18.75.0/24\",\"network_name\":\"tenant-b\"}");
    assertThat(addresses(ipam.add(named, owner("d", "net1"), List.of())))
        .containsExactly("198.18.75.1/24");
    assertThat(pool("tenant-b-198.18.75.0-24")).isNotNull();
    assertThat(
            client
                .resources(OverlappingRangeIPReservation.class)
                .inNamespace(NS)
                .withName("tenant-b-198.18.75.1")
                .get())
        .isNotNull();
    assertThatThrownBy(() -> ipam.add(narrow, owner("e", "net1"), request("198.18.75.1")))
        .hasMessageContaining("reserved by another pod on an overlapping range");
  }

  @Test
  void aPoolWhereaboutsWroteIsHonouredAndItsEntriesFreedByTheirContainer() throws Exception {
    // As whereabouts leaves it: offsets from the network address, podref namespace/name.
    var existing = new IPPool();
    existing.setMetadata(
        new ObjectMetaBuilder().withName("198.18.76.0-24").withNamespace(NS).build());
    existing.setSpec(
        new IPPoolSpec(
            "198.18.76.0/24",
            Map.of(
                "1", new IPAllocation("d1ce", "apps/legacy", "net1"),
                "3", new IPAllocation("f00d", "apps/other", ""))));
    client.resources(IPPool.class).inNamespace(NS).resource(existing).create();
    var ipam = ipam(client);
    var c =
        config(
            "{\"type\":\"whereabouts\",\"range\":\"198.18.76.0/24\",\"enable_overlapping_ranges\":false}");
    assertThat(addresses(ipam.add(c, owner("new", "net1"), List.of())))
        .containsExactly("198.18.76.2/24");
    assertThat(addresses(ipam.add(c, owner("newer", "net1"), List.of())))
        .containsExactly("198.18.76.4/24");
    assertThat(ipam.del(c, new Owner("d1ce", "apps/legacy", "net1")))
        .extracting(Ip::toString)
        .containsExactly("198.18.76.1");
    assertThat(pool("198.18.76.0-24").getSpec().getAllocations()).containsOnlyKeys("2", "3", "4");
  }

  /**
   * 200 ADDs at once from three daemons (three API clients, as three nodes): every address unique,
   * every one recorded, each the only holder of its reservation.
   */
  @Test
  void twoHundredConcurrentAddsOnThreeNodesNeverShareAnAddress() throws Exception {
    List<KubernetesClient> clients =
        List.of(server.createClient(), server.createClient(), server.createClient());
    try {
      List<WhereaboutsIpam> nodes = clients.stream().map(this::ipam).toList();
      var c = config("{\"type\":\"whereabouts\",\"range\":\"198.18.80.0/24\"}");
      int adds = 200;
      var pool = Executors.newFixedThreadPool(adds);
      var start = new CountDownLatch(1);
      List<Future<List<WhereaboutsIpam.Assigned>>> results = new ArrayList<>();
      for (int i = 0; i < adds; i++) {
        WhereaboutsIpam node = nodes.get(i % 3);
        Owner o = owner("p" + i, "net1");
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return node.add(c, o, List.of());
                }));
      }
      start.countDown();
      Set<String> seen = new HashSet<>();
      for (var f : results) {
        String ip = addresses(f.get()).get(0);
        assertThat(seen.add(ip)).as("duplicate %s", ip).isTrue();
      }
      pool.shutdown();
      assertThat(seen).hasSize(adds);
      var allocations = pool("198.18.80.0-24").getSpec().getAllocations();
      assertThat(allocations).hasSize(adds);
      Set<String> podRefs = new HashSet<>();
      allocations.values().forEach(a -> podRefs.add(a.getPodRef()));
      assertThat(podRefs).hasSize(adds);
      assertThat(
              client
                  .resources(OverlappingRangeIPReservation.class)
                  .inNamespace(NS)
                  .list()
                  .getItems())
          .hasSize(adds);
    } finally {
      clients.forEach(KubernetesClient::close);
    }
  }
}
