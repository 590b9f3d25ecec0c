package io.multihome.e2e.suite;

import static io.multihome.e2e.suite.SuiteLab.ping;
import static io.multihome.e2e.suite.SuiteLab.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.multihome.agent.netlink.Link;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import io.multihome.lab.Lab;
import io.multihome.lab.LabDhcpServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The OpenShift documents' attachment manifests, unchanged (copies of the seed examples in {@code
 * src/test/resources/seed-examples}), on a 3-node lab through its API: the OpenShift Virtualization
 * bridge (NNCP {@code dev-bridge} on eth1 of every worker, a {@code cnv-bridge} NAD with {@code
 * macspoofchk}, two pods on two nodes) and the OpenShift Multus host-device NAD with {@code ipam:
 * dhcp} (eth1 of lab-node3 into the pod, a lease from the lab's DHCP server, eth1 back in
 * dev-bridge after the pod is deleted). Both write {@code network-status} and the deprecated {@code
 * networks-status} alike.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenShiftAttachmentsE2ETest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String NETWORK_STATUS = "k8s.v1.cni.cncf.io/network-status";
  private static final String NETWORKS_STATUS = "k8s.v1.cni.cncf.io/networks-status";

  private Lab lab;
  private LabPods kubectl;

  @BeforeAll
  void startLab() throws Exception {
    lab = SuiteLab.start(3, SuiteLab.withoutSriov());
    // The seed NNCP selects workers.
    lab.labelNodes(Map.of("node-role.kubernetes.io/worker", ""));
    kubectl = new LabPods(lab, "default");
    assertThat(kubectl.applySeed("s001-cnv-bridge/nncp-dev-bridge.yaml"))
        .isEqualTo("nodenetworkconfigurationpolicy.nmstate.io/dev-bridge-policy created\n");
    SuiteLab.awaitPolicyAvailable(lab, "dev-bridge-policy");
  }

  @AfterAll
  void closeLab() throws IOException {
    SuiteLab.close(lab);
  }

  @Test
  @Order(1)
  void cnvBridgeNadFromTheVirtualizationDocumentConnectsPodsOnTwoNodesAndDropsSpoofing()
      throws Exception {
    kubectl.applySeed("s001-cnv-bridge/ns-multus-test.yaml");
    assertThat(seed("s001-cnv-bridge/linux-bridge-dev.yml")).contains("\"type\": \"cnv-bridge\"");
    // The seed NAD has no namespace: created where the document works, in multus-test.
    assertThat(kubectl.applySeed("s001-cnv-bridge/linux-bridge-dev.yml", "-n", "multus-test"))
        .isEqualTo("networkattachmentdefinition.k8s.cni.cncf.io/bridge-dev created\n");
    assertThat(kubectl.applySeed("s001-cnv-bridge/pods.yaml"))
        .isEqualTo("pod/vm-a created\npod/vm-b created\n");
    var a = kubectl.sandbox("multus-test", "vm-a");
    var b = kubectl.sandbox("multus-test", "vm-b");
    assertThat(a.node()).isNotEqualTo(b.node());
    var statusA = kubectl.networkStatus("multus-test", "vm-a", "multus-test/bridge-dev");
    assertThat(statusA.path("interface").asText()).isEqualTo("net1");
    // The VMs address themselves (the NAD has no IPAM).
    run("ip", "-n", a.netns(), "addr", "add", "198.18.65.1/24", "dev", "net1");
    run("ip", "-n", b.netns(), "addr", "add", "198.18.65.2/24", "dev", "net1");
    assertThat(ping(a.netns(), "198.18.65.2")).as("vm-a -> vm-b over dev-bridge").isZero();

    String mac =
        kubectl.networkStatus("multus-test", "vm-b", "multus-test/bridge-dev").path("mac").asText();
    run("ip", "-n", b.netns(), "link", "set", "dev", "net1", "address", "02:00:c6:12:41:99");
    run("ip", "-n", a.netns(), "neigh", "flush", "all");
    assertThat(ping(a.netns(), "198.18.65.2")).as("spoofed source MAC dropped").isNotZero();
    run("ip", "-n", b.netns(), "link", "set", "dev", "net1", "address", mac);
    run("ip", "-n", a.netns(), "neigh", "flush", "all");
    assertThat(ping(a.netns(), "198.18.65.2")).as("own MAC again").isZero();
    assertBothStatusAnnotations("multus-test", "vm-a");
  }

  @Test
  @Order(2)
  void hostDeviceWithDhcpFromTheMultusDocumentGetsALeaseAndGivesEth1Back() throws Exception {
    assertThat(lab.dhcpServer()).as("the lab's DHCP server (package dnsmasq-base)").isNotNull();
    String node3 = lab.namespaceOf("lab-node3");
    Link before = eth1(node3);
    assertThat(masterOf(node3, before)).isEqualTo("dev-bridge");
    assertThat(before.isUp()).isTrue();

    kubectl.applySeed("s000-multus-hostdevice/ns-example.yaml");
    kubectl.applySeed("s000-multus-hostdevice/nad-example.yaml", "-n", "example");
    assertThat(kubectl.applySeed("s000-multus-hostdevice/pod-example.yaml"))
        .isEqualTo("pod/example created\n");
    var pod = kubectl.sandbox("example", "example");
    assertThat(pod.node()).isEqualTo("lab-node3");

    var entry = kubectl.networkStatus("example", "example", "example/example");
    String ip = entry.path("ips").get(0).asText();
    assertThat(ip).startsWith("198.18.64.");
    assertThat(lab.dhcpServer().leases()).anySatisfy(l -> assertThat(l.ip()).isEqualTo(ip));
    try (var nl = RtNetlink.openNamed(node3)) {
      assertThat(nl.links().find("eth1")).as("eth1 is in the pod").isEmpty();
    }
    assertThat(ping(pod.netns(), LabDhcpServer.LAB_SERVER)).isZero();
    assertBothStatusAnnotations("example", "example");

    lab.client().pods().inNamespace("example").withName("example").delete();
    assertThat(lab.runtime().awaitRemoved("example", "example", WAIT)).isTrue();
    Link after = eth1(node3);
    assertThat(masterOf(node3, after)).as("eth1 back in dev-bridge").isEqualTo("dev-bridge");
    assertThat(after.isUp()).isTrue();
    assertThat(after.mtu()).isEqualTo(before.mtu());
  }

  /**
   * The Multus document's Deployment, unchanged, on the network the document's other way creates:
   * the Cluster Network Operator's {@code Network cluster} with a Raw additionalNetwork renders the
   * NAD; the scheduler places the pod, eth1 of its node moves in and gets a DHCP lease; {@code
   * kubectl get pod -o jsonpath} on {@code networks-status} prints what the document shows; the
   * Deployment's deletion gives eth1 back.
   */
  @Test
  @Order(3)
  void deploymentFromTheMultusDocumentRunsOnTheNetworkTheOperatorRenders() throws Exception {
    kubectl.kubectlOk("delete", "-n", "example", "network-attachment-definitions", "example");
    assertThat(kubectl.applySeed("s000-multus-hostdevice/network-operator-cluster.yaml"))
        .isEqualTo("network.operator.openshift.io/cluster created\n");
    await()
        .atMost(WAIT)
        .until(
            () ->
                lab.client()
                        .resources(NetworkAttachmentDefinition.class)
                        .inNamespace("example")
                        .withName("example")
                        .get()
                    != null);
    assertThat(kubectl.applySeed("s000-multus-hostdevice/deployment-example.yaml"))
        .isEqualTo("deployment.apps/example created\n");
    assertThat(
            kubectl.kubectlOk(
                "rollout", "status", "-n", "example", "deployment/example", "--timeout=90s"))
        .contains("deployment \"example\" successfully rolled out");
    var pods =
        lab.client().pods().inNamespace("example").withLabel("app", "example").list().getItems();
    assertThat(pods).hasSize(1);
    String name = pods.get(0).getMetadata().getName();
    assertThat(name).startsWith("example-");
    var pod = kubectl.sandbox("example", name);
    String nodeNetns = lab.namespaceOf(pod.node());
    var entry = kubectl.networkStatus("example", name, "example/example");
    String ip = entry.path("ips").get(0).asText();
    assertThat(ip).startsWith("198.18.64.");
    assertThat(ping(pod.netns(), LabDhcpServer.LAB_SERVER)).isZero();
    // As the document reads it (oc and kubectl take the same jsonpath).
    String printed =
        kubectl.kubectlOk(
            "get",
            "pod",
            "-n",
            "example",
            name,
            "-o",
            "jsonpath={.metadata.annotations.k8s\\.v1\\.cni\\.cncf\\.io/networks-status}");
    var status = JSON.readTree(printed);
    assertThat(status.get(1).path("name").asText()).isEqualTo("example/example");
    assertThat(status.get(1).path("ips").get(0).asText()).isEqualTo(ip);

    kubectl.kubectlOk(
        "delete",
        "-f",
        LabPods.seedFile("s000-multus-hostdevice/deployment-example.yaml").toString());
    assertThat(lab.runtime().awaitRemoved("example", name, WAIT)).isTrue();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(masterOf(nodeNetns, eth1(nodeNetns))).isEqualTo("dev-bridge"));
  }

  private static String seed(String path) throws IOException {
    try (InputStream in =
        OpenShiftAttachmentsE2ETest.class.getResourceAsStream("/seed-examples/" + path)) {
      assertThat(in).as(path).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private void assertBothStatusAnnotations(String namespace, String pod) {
    var annotations = kubectl.annotations(namespace, pod);
    assertThat(annotations.get(NETWORKS_STATUS))
        .as("the deprecated networks-status, as the OpenShift documents read it")
        .isNotNull()
        .isEqualTo(annotations.get(NETWORK_STATUS));
  }

  private static Link eth1(String nodeNetns) {
    try (var nl = RtNetlink.openNamed(nodeNetns)) {
      return nl.links().get("eth1");
    }
  }

  private static String masterOf(String nodeNetns, Link link) {
    if (link.masterIndex() == null) {
      return null;
    }
    try (var nl = RtNetlink.openNamed(nodeNetns)) {
      List<Link> links = nl.links().list();
      return links.stream()
          .filter(l -> l.index() == link.masterIndex())
          .map(Link::name)
          .findFirst()
          .orElse(null);
    }
  }
}
