package io.multihome.e2e.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.multihome.agent.cni.ipam.IpamDaemon;
import io.multihome.api.whereabouts.IPPool;
import io.multihome.lab.Lab;
import io.multihome.lab.kubelet.SandboxInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whereabouts-compatible IPAM as the lab runs it on every node (each node's agent allocating
 * from one IPPool in the lab API, the elected node's reconciler sweeping): 50 pods of a Deployment
 * spread over 3 nodes get 50 different addresses, which the IPPool lists with their pods, and
 * deleting them empties it; a pod deleted while its node's agent is down (its DEL cannot run) has
 * its address freed by the reconciler, and the DEL retried once the agent is back finds nothing
 * left to free.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WhereaboutsE2ETest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String POOL = "198.18.72.0-24";
  private static final int PODS = 50;

  private static final String NAD =
      """
      apiVersion: k8s.cni.cncf.io/v1
      kind: NetworkAttachmentDefinition
      metadata:
        name: pool-net
      spec:
        config: '{"cniVersion": "0.3.1", "type": "macvlan", "master": "eth1", "mode": "bridge",
          "ipam": {"type": "whereabouts", "range": "198.18.72.0/24"}}'
      """;

  private Lab lab;
  private LabPods kubectl;

  @BeforeAll
  void startLab() throws Exception {
    lab = SuiteLab.start(3, SuiteLab.withoutSriov());
    kubectl = new LabPods(lab, "default");
    apply(NAD);
  }

  @AfterAll
  void closeLab() throws IOException {
    SuiteLab.close(lab);
  }

  @Test
  @Order(1)
  void fiftyPodsOverThreeNodesGetUniqueAddressesThePoolListsAndDeletionFrees() throws Exception {
    long started = System.nanoTime();
    apply(
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: many
        spec:
          replicas: %d
          selector:
            matchLabels: {app: many}
          template:
            metadata:
              labels: {app: many}
              annotations:
                k8s.v1.cni.cncf.io/networks: pool-net
            spec:
              containers:
              - name: c
                image: registry.invalid/lab:1
        """
            .formatted(PODS));
    assertThat(kubectl.kubectlOk("rollout", "status", "deployment/many", "--timeout=300s"))
        .contains("successfully rolled out");
    long rolledOut = System.nanoTime();
    var pods =
        lab.client().pods().inNamespace("default").withLabel("app", "many").list().getItems();
    assertThat(pods).hasSize(PODS);
    assertThat(pods.stream().map(p -> p.getSpec().getNodeName()).distinct())
        .containsExactlyInAnyOrder("lab-node1", "lab-node2", "lab-node3");

    var addressOf = new HashMap<String, String>();
    for (Pod p : pods) {
      addressOf.put("default/" + p.getMetadata().getName(), netOne(p));
    }
    assertThat(new HashSet<>(addressOf.values())).as("all different").hasSize(PODS);
    assertThat(addressOf.values()).allMatch(a -> a.startsWith("198.18.72."));

    // The pool as kubectl shows it: one allocation per pod, keyed by offset, naming the pod.
    var allocations =
        JSON.readTree(
                kubectl.kubectlOk(
                    "get",
                    "ippools.whereabouts.cni.cncf.io",
                    "-n",
                    "kube-system",
                    POOL,
                    "-o",
                    "json"))
            .path("spec")
            .path("allocations");
    assertThat(allocations.size()).isEqualTo(PODS);
    var listed = new TreeMap<String, String>();
    allocations
        .fields()
        .forEachRemaining(
            e -> listed.put(e.getValue().path("podref").asText(), address(e.getKey())));
    assertThat(listed).isEqualTo(new TreeMap<>(addressOf));
    for (JsonNode a : allocations) {
      assertThat(a.path("ifname").asText()).isEqualTo("net1");
      assertThat(a.path("id").asText()).isNotEmpty();
    }

    kubectl.kubectlOk("delete", "deployment", "many");
    for (Pod p : pods) {
      assertThat(lab.runtime().awaitRemoved("default", p.getMetadata().getName(), WAIT))
          .as(p.getMetadata().getName() + " removed")
          .isTrue();
    }
    assertThat(allocations()).as("every address freed by DEL").isEmpty();
    System.out.printf(
        "whereabouts: %d pods rolled out in %.1f s, deleted in %.1f s%n",
        PODS, (rolledOut - started) / 1e9, (System.nanoTime() - rolledOut) / 1e9);
  }

  @Test
  @Order(2)
  void theReconcilerFreesTheAddressOfAPodDeletedWhileItsNodesAgentWasDown() throws Exception {
    // The elected node sweeps; the pod goes on another one, whose agent then stops.
    await().atMost(WAIT).until(() -> holder() != null && lab.nodes().contains(holder()));
    String leader = holder();
    String down = lab.nodes().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
    lab.client()
        .pods()
        .resource(
            kubectl
                .pod("orphan", down, LabPods.container("c"))
                .editMetadata()
                .addToAnnotations("k8s.v1.cni.cncf.io/networks", "pool-net")
                .endMetadata()
                .build())
        .create();
    await().atMost(WAIT).until(() -> LabPods.ready(kubectl.get("orphan")));
    String address = netOne(kubectl.get("orphan"));
    assertThat(allocations()).containsValue("default/orphan");

    lab.stopAttachments(down);
    kubectl.kubectlOk("delete", "pod", "orphan");
    // Its DEL cannot reach the node's daemon: the kubelet keeps the sandbox and says why.
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(kubectl.events("orphan", "FailedKillPod")).isNotEmpty());
    await()
        .atMost(Lab.IPAM_RECONCILE_INTERVAL.multipliedBy(4))
        .untilAsserted(
            () ->
                assertThat(allocations())
                    .as("freed by the reconciler")
                    .doesNotContainValue("default/orphan"));
    assertThat(sandboxOf("orphan")).as("the DEL has still not run").isNotNull();

    lab.startAttachments(down);
    assertThat(lab.runtime().awaitRemoved("default", "orphan", WAIT)).isTrue();
    assertThat(allocations()).doesNotContainValue("default/orphan");
    // The freed address is handed out again.
    lab.client()
        .pods()
        .resource(
            kubectl
                .pod("next", down, LabPods.container("c"))
                .editMetadata()
                .addToAnnotations("k8s.v1.cni.cncf.io/networks", "pool-net")
                .endMetadata()
                .build())
        .create();
    await().atMost(WAIT).until(() -> LabPods.ready(kubectl.get("next")));
    assertThat(netOne(kubectl.get("next"))).isEqualTo(address);
  }

  private String holder() {
    var lease = lab.client().leases().inNamespace("multihome").withName(IpamDaemon.LEASE).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private SandboxInfo sandboxOf(String pod) {
    return lab.runtime().sandboxes().stream()
        .filter(s -> s.name().equals(pod))
        .findFirst()
        .orElse(null);
  }

  /** offset -> podref of the pool's allocations. */
  private Map<String, String> allocations() {
    var p = lab.client().resources(IPPool.class).inNamespace("kube-system").withName(POOL).get();
    var out = new TreeMap<String, String>();
    if (p != null && p.getSpec().getAllocations() != null) {
      p.getSpec().getAllocations().forEach((k, v) -> out.put(k, v.getPodRef()));
    }
    return out;
  }

  private static String address(String offset) {
    try {
      byte[] base = InetAddress.getByName("198.18.72.0").getAddress();
      base[3] = (byte) Integer.parseInt(offset);
      return InetAddress.getByAddress(base).getHostAddress();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String netOne(Pod pod) throws IOException {
    String status = pod.getMetadata().getAnnotations().get("k8s.v1.cni.cncf.io/network-status");
    for (var e : JSON.readTree(status)) {
      if (e.path("name").asText().equals("default/pool-net")) {
        return e.path("ips").get(0).asText();
      }
    }
    throw new AssertionError(pod.getMetadata().getName() + " has no pool-net: " + status);
  }

  private void apply(String yaml) throws Exception {
    Path file = Files.createTempFile(lab.workDir(), "manifest-", ".yaml");
    Files.writeString(file, yaml);
    kubectl.kubectlOk("apply", "-f", file.toString());
  }
}
