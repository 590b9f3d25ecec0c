package io.multihome.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.agent.netlink.Link;
import io.multihome.agent.netlink.RtNetlink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lab scenario with two nodes, in-process: rollout, rollback, and nothing left behind. */
class LabKernelTest {

  @Test
  void scenarioRollsOutRollsBackAndCleansUp() throws Exception {
    var buffer = new ByteArrayOutputStream();
    var out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    LabScenario.Outcome outcome;
    List<String> namespaces;
    Path workDir;
    var bridgePorts = new ArrayList<String>();
    try (var lab = Lab.start(2, Path.of("..").toAbsolutePath().normalize())) {
      namespaces = new ArrayList<>(lab.fabric().nodeNamespaces());
      namespaces.add(lab.fabric().fabricNamespace());
      workDir = lab.workDir();
      outcome = new LabScenario(lab, out).run();
      for (var node : lab.nodes()) {
        try (var nl = RtNetlink.openNamed(lab.namespaceOf(node))) {
          Link br = nl.links().get(LabScenario.BRIDGE);
          Link eth1 = nl.links().get(LabFabric.NIC);
          assertThat(br.kindName()).isEqualTo("bridge");
          assertThat(eth1.masterIndex()).as("eth1 master on " + node).isEqualTo(br.index());
          assertThat(nl.links().find("br2")).as("br2 rolled back on " + node).isEmpty();
          bridgePorts.add(node);
        }
      }
    } finally {
      System.out.print(buffer.toString(StandardCharsets.UTF_8));
    }
    String printed = buffer.toString(StandardCharsets.UTF_8);

    assertThat(bridgePorts).hasSize(2);
    assertThat(outcome.bridgePolicyStatus()).isEqualTo("Available");
    assertThat(outcome.brokenPolicyStatus()).isEqualTo("Degraded");
    assertThat(outcome.failingReason()).isEqualTo("FailedToConfigure");
    assertThat(outcome.failingMessage()).isNotBlank();
    assertThat(outcome.nodesUnchangedByBrokenPolicy()).isTrue();
    assertThat(printed)
        .contains("NAME", "STATUS AGE", "lab-node1.lab-bridge", "lab-node2.lab-bridge")
        .contains("name: br1");
    for (var ns : namespaces) {
      assertThat(Files.exists(Path.of("/var/run/netns", ns))).as(ns + " deleted").isFalse();
    }
    assertThat(Files.exists(workDir)).as("work dir deleted").isFalse();
    assertThat(leftoverLabNamespaces()).isEmpty();
  }

  /** Every {@code mh-lab-*} namespace still listed by the named-namespace directory. */
  private static List<String> leftoverLabNamespaces() throws IOException {
    var dir = Path.of("/var/run/netns");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(LabFabric.PREFIX))
          .toList();
    }
  }
}
