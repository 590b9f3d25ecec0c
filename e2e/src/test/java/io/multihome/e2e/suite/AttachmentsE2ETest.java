package io.multihome.e2e.suite;

import static io.multihome.e2e.suite.SuiteLab.ping;
import static io.multihome.e2e.suite.SuiteLab.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import io.multihome.api.nad.NetworkAttachmentDefinitionSpec;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import io.multihome.lab.Lab;
import io.multihome.lab.LabScenario;
import io.multihome.lab.kubelet.SandboxInfo;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Attachments on one full two-node lab, through the lab's API and runtime (pods get sandboxes and a
 * CNI ADD exec'ed through the real shim): traffic on one bridge network across nodes, isolation
 * between two L2 networks on the same subnet, a NAD from another namespace (macvlan + static +
 * sbr), and CNI DEL succeeding while the API server is down. The outage test runs last: it stops
 * the lab's API for good.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AttachmentsE2ETest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String NS = "default";
  private static final String POOL = "pool";
  private static final String SUBNET = "198.18.3.";
  private static final String STATIC_IP = "198.18.5.10";

  private Lab lab;
  private LabPods pods;
  private Path ipamDir;
  private String node1;
  private String node2;

  @BeforeAll
  void startLab() throws Exception {
    lab = SuiteLab.start(2, Lab.Options.full());
    pods = new LabPods(lab, NS);
    ipamDir = Files.createDirectories(lab.workDir().resolve("att-ipam"));
    node1 = lab.nodes().get(0);
    node2 = lab.nodes().get(1);
    lab.labelNodes(Map.of(Lab.LAB_LABEL, "true"));
    // br1 carries eth1 (cabled to the fabric); br2 has no port: a node-local L2 segment.
    applyPolicy(bridgePolicy("att-br1", "br1", "[{name: eth1}]"));
    applyPolicy(bridgePolicy("att-br2", "br2", "[]"));
    SuiteLab.awaitPolicyAvailable(lab, "att-br1");
    SuiteLab.awaitPolicyAvailable(lab, "att-br2");
  }

  /** An NNCP for one linux-bridge without IPv4 on every lab node, {@code ports} as YAML flow. */
  private static String bridgePolicy(String policy, String bridge, String ports) {
    return """
        apiVersion: nmstate.io/v1
        kind: NodeNetworkConfigurationPolicy
        metadata: {name: %s}
        spec:
          nodeSelector: {multihome.io/lab: "true"}
          desiredState:
            interfaces:
            - name: %s
              type: linux-bridge
              state: up
              ipv4: {enabled: false}
              bridge:
                options: {stp: {enabled: false}}
                port: %s
        """
        .formatted(policy, bridge, ports);
  }

  @AfterAll
  void closeLab() throws IOException {
    Path workDir = lab == null ? null : lab.workDir();
    SuiteLab.close(lab);
    if (workDir != null) {
      assertThat(Files.exists(workDir)).as("work dir deleted").isFalse();
    }
  }

  @Test
  @Order(1)
  void podsOnOneBridgeNetworkTalkAcrossNodesAndAnotherL2NetworkIsIsolated() throws Exception {
    // Same /24 on both networks, disjoint ranges: a failed ping can only mean separate L2.
    createNad(NS, "att-a", bridgeConfig("br1", SUBNET + "10", SUBNET + "49"));
    createNad(NS, "att-b", bridgeConfig("br2", SUBNET + "50", SUBNET + "99"));
    createPod("a1", node1, "att-a");
    createPod("a2", node2, "att-a");
    createPod("b1", node1, "att-b");
    createPod("b2", node1, "att-b");
    var a1 = pods.sandbox("a1");
    var a2 = pods.sandbox("a2");
    var b1 = pods.sandbox("b1");
    var b2 = pods.sandbox("b2");
    String a1Ip = secondaryIp("a1", "default/att-a");
    String a2Ip = secondaryIp("a2", "default/att-a");
    String b1Ip = secondaryIp("b1", "default/att-b");
    String b2Ip = secondaryIp("b2", "default/att-b");
    assertThat(List.of(a1Ip, a2Ip, b1Ip, b2Ip))
        .allMatch(ip -> ip.startsWith(SUBNET))
        .doesNotHaveDuplicates();
    assertThat(a1.node()).isNotEqualTo(a2.node());

    assertThat(ping(a1.netns(), a2Ip)).as("a1 -> a2 across nodes over br1").isZero();
    assertThat(ping(a2.netns(), a1Ip)).as("a2 -> a1").isZero();
    // Positive control on network B, so b1's net1 works and the failures below are isolation.
    assertThat(ping(b1.netns(), b2Ip)).as("b1 -> b2 over br2").isZero();
    assertThat(ping(b1.netns(), a1Ip)).as("b1 -> a1 (same node, other L2)").isNotZero();
    assertThat(ping(b1.netns(), a2Ip)).as("b1 -> a2 (other node, other L2)").isNotZero();
    assertThat(ping(a1.netns(), b2Ip)).as("a1 -> b2").isNotZero();
    // Both pods' net1 are ports of the bridge their NAD names, on node1.
    try (var nl = RtNetlink.openNamed(lab.namespaceOf(node1))) {
      int br1 = nl.links().get("br1").index();
      int br2 = nl.links().get("br2").index();
      assertThat(
              nl.links().list().stream()
                  .filter(l -> Integer.valueOf(br2).equals(l.masterIndex()))
                  .count())
          .as("b1 and b2 on br2")
          .isEqualTo(2);
      assertThat(
              nl.links().list().stream()
                  .filter(l -> Integer.valueOf(br1).equals(l.masterIndex()))
                  .count())
          .as("eth1 and a1 on br1")
          .isEqualTo(2);
    }
  }

  @Test
  @Order(2)
  void podInDefaultUsesMacvlanStaticSbrNadFromAnotherNamespace() throws Exception {
    SuiteLab.createNamespace(lab, POOL);
    createNad(
        POOL,
        "macvlan-static",
        """
        {"cniVersion":"1.0.0","name":"macvlan-static","plugins":[
          {"type":"macvlan","master":"br1","mode":"bridge",
           "ipam":{"type":"static","addresses":[{"address":"%s/24","gateway":"198.18.5.1"}]}},
          {"type":"sbr"}]}
        """
            .formatted(STATIC_IP));
    createPod("s1", node2, POOL + "/macvlan-static");
    var s1 = pods.sandbox("s1");
    assertThat(secondaryIp("s1", "pool/macvlan-static")).isEqualTo(STATIC_IP);
    assertThat(interfaceOf("s1", "pool/macvlan-static")).isEqualTo("net1");
    try (var nl = RtNetlink.openNamed(s1.netns())) {
      assertThat(nl.links().get("net1").kind()).isInstanceOf(LinkKind.Macvlan.class);
    }
    assertThat(run("ip", "-n", s1.netns(), "-o", "-4", "addr", "show", "dev", "net1"))
        .contains("inet " + STATIC_IP + "/24");
    // sbr: a source rule for the static address into a table of its own, default route there.
    String rules = run("ip", "-n", s1.netns(), "rule", "show");
    assertThat(rules).contains("from " + STATIC_IP + " lookup 100");
    assertThat(run("ip", "-n", s1.netns(), "route", "show", "table", "100"))
        .contains("default via 198.18.5.1 dev net1");
  }

  @Test
  @Order(3)
  void cniDelSucceedsWithTheApiServerDown() throws Exception {
    createNad(NS, "att-del", bridgeConfig("br1", "198.18.4.10", "198.18.4.20"));
    createPod("d1", node1, "att-del");
    var d1 = pods.sandbox("d1");
    String ip = secondaryIp("d1", "default/att-del");
    assertThat(leases()).contains(ip);
    var before = lab.runtime().sandboxes().stream().map(SandboxInfo::netns).toList();
    assertThat(before).contains(d1.netns()).hasSizeGreaterThanOrEqualTo(5);

    lab.stopApiServer();
    var api = java.net.URI.create(lab.apiUrl());
    assertThatThrownBy(() -> new Socket(api.getHost(), api.getPort()).close())
        .as("API server down")
        .isInstanceOf(ConnectException.class);
    // The runtime's close runs DEL through the shim for every sandbox (the API is unreachable),
    // then deletes their namespaces: DEL that failed would leave the host-local leases behind.
    lab.runtime().close();

    assertThat(lab.runtime().sandboxes()).isEmpty();
    assertThat(leases()).as("leases of every pod released by DEL").isEmpty();
    assertThat(clusterLeases()).as("cluster-network leases released").isEmpty();
    for (var netns : before) {
      assertThat(Files.exists(Path.of("/var/run/netns", netns))).as(netns).isFalse();
    }
    for (var node : lab.nodes()) {
      try (var nl = RtNetlink.openNamed(lab.namespaceOf(node))) {
        int br1 = nl.links().get("br1").index();
        int br2 = nl.links().get("br2").index();
        var ports =
            nl.links().list().stream()
                .filter(
                    l ->
                        Integer.valueOf(br1).equals(l.masterIndex())
                            || Integer.valueOf(br2).equals(l.masterIndex()))
                .map(l -> l.name())
                .toList();
        assertThat(ports).as("pod ports left on " + node).containsExactly("eth1");
      }
    }
  }

  private void applyPolicy(String yaml) {
    var policy =
        new KubernetesSerialization().unmarshal(yaml, NodeNetworkConfigurationPolicy.class);
    lab.client().resource(policy).create();
  }

  private String bridgeConfig(String bridge, String first, String last) {
    String subnet = first.substring(0, first.lastIndexOf('.')) + ".0/24";
    return """
        {"cniVersion":"1.0.0","type":"bridge","bridge":"%s",
         "ipam":{"type":"host-local","dataDir":"%s",
                 "ranges":[[{"subnet":"%s","rangeStart":"%s","rangeEnd":"%s"}]]}}
        """
        .formatted(bridge, ipamDir, subnet, first, last);
  }

  private void createNad(String namespace, String name, String config) {
    var nad = new NetworkAttachmentDefinition();
    nad.getMetadata().setNamespace(namespace);
    nad.getMetadata().setName(name);
    nad.setSpec(new NetworkAttachmentDefinitionSpec(config));
    lab.client().resources(NetworkAttachmentDefinition.class).resource(nad).create();
  }

  private void createPod(String name, String node, String network) {
    lab.client().pods().resource(LabScenario.pod(name, node, network, null)).create();
  }

  /** The pod's sandbox once ADD was answered; ADD must have succeeded. */
  private String secondaryIp(String pod, String network) throws IOException {
    var ips = pods.networkStatus(NS, pod, network).path("ips");
    assertThat(ips.size()).as(pod + " ips").isPositive();
    return ips.get(0).asText().split("/")[0];
  }

  private String interfaceOf(String pod, String network) throws IOException {
    return pods.networkStatus(NS, pod, network).path("interface").asText();
  }

  /** host-local lease files (named by address) of this test's NADs. */
  private List<String> leases() throws IOException {
    return leaseFiles(ipamDir);
  }

  /** host-local lease files of the lab's cluster network (eth0 of every pod). */
  private List<String> clusterLeases() throws IOException {
    return leaseFiles(lab.workDir().resolve("ipam"));
  }

  private static List<String> leaseFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .filter(n -> n.matches("\\d+\\.\\d+\\.\\d+\\.\\d+"))
          .toList();
    }
  }

  /** {@code ping -c 1 -W 2} inside {@code netns}; its exit code. */
}
