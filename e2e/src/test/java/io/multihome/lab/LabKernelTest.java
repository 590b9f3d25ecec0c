package io.multihome.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.multihome.agent.netlink.Link;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.api.whereabouts.IPAllocation;
import io.multihome.api.whereabouts.IPPool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lab scenario with two nodes, in-process: the docs bridge example rolled out, two pods
 * attached through the CNI shim pinging each other, a probe-caught rollback leaving the nodes
 * unchanged, SR-IOV pods on emulated VFs, a pod created afterwards through the API getting (and
 * losing) its sandbox, and nothing left behind.
 */
class LabKernelTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void scenarioRollsOutAttachesRollsBackDoesSriovAndCleansUp() throws Exception {
    var buffer = new ByteArrayOutputStream();
    var out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    LabScenario.Outcome outcome;
    List<String> namespaces;
    Path workDir;
    var bridgePorts = new ArrayList<String>();
    String vfaNetns;
    String latePodNetns;
    String labPrefix;
    try (var lab = Lab.start(2, Path.of("..").toAbsolutePath().normalize(), Lab.Options.full())) {
      labPrefix = LabFabric.PREFIX + lab.fabric().id() + "-";
      namespaces = new ArrayList<>(lab.fabric().nodeNamespaces());
      namespaces.add(lab.fabric().fabricNamespace());
      workDir = lab.workDir();
      outcome = new LabScenario(lab, out).run();
      // lab-br1 and lab-sriov take their addresses from whereabouts pools in the lab API.
      assertThat(podRefs(lab, "198.18.1.0-24")).contains("default/pod-a", "default/pod-b");
      assertThat(podRefs(lab, "198.18.2.0-24"))
          .containsExactlyInAnyOrder("default/vf-a", "default/vf-b");
      for (var node : lab.nodes()) {
        // Each node has its own resolver file naming the lab's gateway, so the agents' DNS probe
        // never queries the host's resolver from inside the lab.
        assertThat(Files.readString(Path.of("/etc/netns", lab.namespaceOf(node), "resolv.conf")))
            .isEqualTo("nameserver " + LabFabric.GATEWAY + "\n");
        try (var nl = RtNetlink.openNamed(lab.namespaceOf(node))) {
          Link br = nl.links().get(LabScenario.BRIDGE);
          Link eth1 = nl.links().get(LabFabric.NIC);
          assertThat(br.kindName()).isEqualTo("bridge");
          assertThat(eth1.masterIndex()).as("eth1 master on " + node).isEqualTo(br.index());
          bridgePorts.add(node);
        }
      }
      // The SR-IOV pod's net1 is the node's first VF (a macvlan on ens1f0), moved and renamed.
      var vfa = lab.runtime().awaitSandbox("default", "vf-a", Duration.ofSeconds(1)).orElseThrow();
      vfaNetns = vfa.netns();
      try (var nl = RtNetlink.openNamed(vfaNetns)) {
        assertThat(nl.links().get("net1").kind()).isInstanceOf(LinkKind.Macvlan.class);
      }
      String node1 = lab.nodes().get(0);
      try (var nl = RtNetlink.openNamed(lab.namespaceOf(node1))) {
        assertThat(nl.links().find("ens1f0v0")).as("VF 0 moved into vf-a").isEmpty();
        assertThat(nl.links().find("ens1f0v1")).as("VF 1 still on the node").isPresent();
      }
      assertThat(lab.vfControl(node1).calls()).hasSize(1);
      assertThat(lab.vfControl(node1).calls().get(0).pfName()).isEqualTo(LabFabric.SRIOV_PF);
      assertThat(lab.vfControl(node1).calls().get(0).settings().vf()).isZero();

      // kubectl's discovery: stable version preferred, short names, scope from the CRDs.
      JsonNode apis = JSON.readTree(lab.client().raw(lab.apiUrl() + "/apis"));
      JsonNode nmstate = null;
      for (var g : apis.path("groups")) {
        if ("nmstate.io".equals(g.path("name").asText())) {
          nmstate = g;
        }
      }
      assertThat(nmstate).isNotNull();
      assertThat(nmstate.path("preferredVersion").path("version").asText()).isEqualTo("v1");
      assertThat(nmstate.path("versions")).hasSize(2);
      JsonNode nncp = null;
      for (var r :
          JSON.readTree(lab.client().raw(lab.apiUrl() + "/apis/nmstate.io/v1")).path("resources")) {
        if ("nodenetworkconfigurationpolicies".equals(r.path("name").asText())) {
          nncp = r;
        }
      }
      assertThat(nncp).isNotNull();
      assertThat(nncp.path("shortNames").get(0).asText()).isEqualTo("nncp");
      assertThat(nncp.path("namespaced").asBoolean()).isFalse();
      assertThat(JSON.readTree(lab.client().raw(lab.apiUrl() + "/api/v1")).toString())
          .contains("\"name\":\"pods\"");

      // --keep's runtime: a pod created through the API gets a sandbox, deleting it removes it.
      String node2 = lab.nodes().get(1);
      lab.client()
          .pods()
          .resource(LabScenario.pod("late", node2, LabScenario.BRIDGE_NAD, null))
          .create();
      var late = lab.runtime().awaitSandbox("default", "late", Duration.ofSeconds(60));
      assertThat(late).isPresent();
      assertThat(late.get().ok()).as(late.get().stderr()).isTrue();
      assertThat(late.get().node()).isEqualTo(node2);
      latePodNetns = late.get().netns();
      assertThat(Files.exists(Path.of("/var/run/netns", latePodNetns))).isTrue();
      String lateIp =
          LabScenario.secondaryIp(
              lab.client()
                  .pods()
                  .inNamespace("default")
                  .withName("late")
                  .get()
                  .getMetadata()
                  .getAnnotations()
                  .get(LabScenario.NETWORK_STATUS),
              "default/" + LabScenario.BRIDGE_NAD);
      assertThat(lateIp).startsWith("198.18.1.");
      var podA =
          lab.runtime().awaitSandbox("default", "pod-a", Duration.ofSeconds(1)).orElseThrow();
      assertThat(LabScenario.pingCode(podA.netns(), lateIp)).isZero();
      lab.client().pods().inNamespace("default").withName("late").delete();
      assertThat(lab.runtime().awaitRemoved("default", "late", Duration.ofSeconds(60))).isTrue();
      assertThat(Files.exists(Path.of("/var/run/netns", latePodNetns))).isFalse();
    } finally {
      System.out.print(buffer.toString(StandardCharsets.UTF_8));
    }
    String printed = buffer.toString(StandardCharsets.UTF_8);

    assertThat(bridgePorts).hasSize(2);
    assertThat(outcome.bridgePolicyStatus()).isEqualTo("Available");
    assertThat(outcome.pingExitCode()).isZero();
    for (var pod : List.of("pod-a", "pod-b")) {
      JsonNode status = JSON.readTree(outcome.networkStatus().get(pod));
      assertThat(status.get(0).path("name").asText()).isEqualTo("cluster");
      assertThat(status.get(0).path("interface").asText()).isEqualTo("eth0");
      assertThat(status.get(0).path("default").asBoolean()).isTrue();
      assertThat(status.get(1).path("name").asText()).isEqualTo("default/lab-br1");
      assertThat(status.get(1).path("interface").asText()).isEqualTo("net1");
      assertThat(status.get(1).path("ips").get(0).asText()).startsWith("198.18.1.");
    }
    assertThat(outcome.brokenPolicyStatus()).isEqualTo("Degraded");
    assertThat(outcome.failingReason()).isEqualTo("FailedToConfigure");
    assertThat(outcome.failingMessage())
        .contains("default gateway " + LabFabric.GATEWAY + " does not answer ping");
    assertThat(outcome.nodesUnchangedByBrokenPolicy()).isTrue();
    assertThat(outcome.sriovSyncStatus())
        .containsOnlyKeys("lab-node1", "lab-node2")
        .containsValues("Succeeded");
    for (var pod : List.of("vf-a", "vf-b")) {
      JsonNode status = JSON.readTree(outcome.networkStatus().get(pod));
      assertThat(status.get(1).path("name").asText()).isEqualTo("default/lab-sriov");
      assertThat(status.get(1).path("interface").asText()).isEqualTo("net1");
      assertThat(status.get(1).path("ips").get(0).asText()).startsWith("198.18.2.");
    }
    assertThat(outcome.vfPingExitCode()).isZero();
    // Two nodes: the VM bridge on the first only; the pod naming no node landed there, and once
    // the bridge was gone the next one could not be placed.
    assertThat(outcome.vmBridgeNodes()).containsExactly("lab-node1");
    assertThat(outcome.vmPlacedOn()).isEqualTo("lab-node1");
    assertThat(outcome.vmPendingMessage())
        .isEqualTo("0/2 nodes are available: 2 Insufficient " + VmBridgeStep.RESOURCE + ".");
    // The Service on the whereabouts network: servers on both nodes, each answering through the
    // cluster IP in the client's namespace; the slice and the client's rules were printed.
    assertThat(outcome.serviceClusterIp()).startsWith("198.18.24");
    assertThat(outcome.serviceBackendNodes()).containsExactlyInAnyOrder("lab-node1", "lab-node2");
    assertThat(outcome.serviceAnswers()).hasSize(2).doesNotContainKey("");
    assertThat(outcome.serviceAnswers().keySet())
        .allMatch(k -> k.matches("web-[a-z0-9]+-[a-z0-9]{5} on lab-node[12]"));
    assertThat(printed)
        .contains("ADDRESSTYPE", "198.18.75.1,198.18.75.2")
        .contains("numgen random mod 2")
        .contains("dnat ip to 198.18.75.1:8080", "dnat ip to 198.18.75.2:8080")
        .contains("default/web-")
        .contains("dev net1 proto 203");
    // Each table is printed when its content changed: never the same table twice in a row.
    assertNoTableRepeated(buffer.toString(StandardCharsets.UTF_8));
    assertThat(outcome.ok()).isTrue();
    assertThat(printed)
        .contains("NAME", "STATUS AGE", "lab-node1.br1-eth1-policy", "lab-node2.br1-eth1-policy")
        .contains("name: br1");
    for (var ns : namespaces) {
      assertThat(Files.exists(Path.of("/var/run/netns", ns))).as(ns + " deleted").isFalse();
      assertThat(Files.exists(Path.of("/etc/netns", ns))).as(ns + "'s resolver dir").isFalse();
    }
    assertThat(Files.exists(Path.of("/var/run/netns", vfaNetns))).isFalse();
    assertThat(Files.exists(workDir)).as("work dir deleted").isFalse();
    assertThat(leftoverLabNamespaces(labPrefix)).isEmpty();
  }

  private static List<String> podRefs(Lab lab, String pool) {
    var p = lab.client().resources(IPPool.class).inNamespace("kube-system").withName(pool).get();
    assertThat(p).as("IPPool " + pool).isNotNull();
    return p.getSpec().getAllocations().values().stream().map(IPAllocation::getPodRef).toList();
  }

  /**
   * Every namespace of this lab ({@code mh-lab-<id>-*}) still listed by the named-namespace
   * directory; other labs running on the machine at the same time are not this test's business.
   */
  private static List<String> leftoverLabNamespaces(String labPrefix) throws IOException {
    var dir = Path.of("/var/run/netns");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(labPrefix))
          .toList();
    }
  }

  /** Consecutive NNCP (or NNCE) tables in the narration always differ. */
  static void assertNoTableRepeated(String narration) {
    var last = new java.util.HashMap<String, String>();
    for (String block : narration.split("\n\n")) {
      // Column widths follow the content: the header's words name the table.
      String header = block.lines().findFirst().orElse("").trim().replaceAll("\\s+", " ");
      if (!header.equals("NAME STATUS REASON") && !header.equals("NAME STATUS STATUS AGE REASON")) {
        continue;
      }
      // Ages tick: compared without the STATUS AGE column's values.
      String comparable =
          block
              .replaceAll("[ \\t]+", " ")
              .replaceAll("\\b\\d+(\\.\\d+)?[smhd](\\d+[smh])?\\b", "<age>");
      assertThat(comparable).as("table printed again unchanged").isNotEqualTo(last.get(header));
      last.put(header, comparable);
    }
  }
}
