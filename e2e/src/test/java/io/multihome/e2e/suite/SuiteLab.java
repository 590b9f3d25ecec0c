package io.multihome.e2e.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.multihome.api.nmstate.ConditionTypes;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import io.multihome.lab.Lab;
import io.multihome.lab.LabFabric;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the suite classes that run a {@link Lab} of their own share: the lab started from the
 * repository root in {@code @BeforeAll}, closed in {@code @AfterAll} with the assertion that none
 * of its namespaces is left, and commands run in its namespaces.
 */
final class SuiteLab {
  private SuiteLab() {}

  /** Primary NICs and attachments (with the injection webhook), no SR-IOV, 1 s probes. */
  static Lab.Options withoutSriov() {
    return new Lab.Options(true, true, false, Duration.ofSeconds(1));
  }

  /** A lab of {@code nodes} nodes started from the repository root (the e2e module's parent). */
  static Lab start(int nodes, Lab.Options options) throws Exception {
    return Lab.start(nodes, Path.of("..").toAbsolutePath().normalize(), options);
  }

  /** The prefix of every namespace {@code lab} makes. */
  static String prefix(Lab lab) {
    return LabFabric.PREFIX + lab.fabric().id() + "-";
  }

  /** Closes {@code lab} (null: it never started) and asserts none of its namespaces is left. */
  static void close(Lab lab) throws IOException {
    if (lab == null) {
      return;
    }
    String prefix = prefix(lab);
    lab.close();
    assertThat(leftoverNamespaces(prefix)).isEmpty();
  }

  /** Creates the Kubernetes namespace {@code name} in the lab's API. */
  static void createNamespace(Lab lab, String name) {
    lab.client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  /** Waits (at most 90 s) until the NNCP {@code name} has condition Available true. */
  static void awaitPolicyAvailable(Lab lab, String name) {
    await()
        .atMost(E2ELab.WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        E2ELab.trueCondition(
                                lab.client()
                                    .resources(NodeNetworkConfigurationPolicy.class)
                                    .withName(name)
                                    .get())
                            .map(c -> c.getType()))
                    .as(name)
                    .contains(ConditionTypes.AVAILABLE));
  }

  /** The named network namespaces whose names start with {@code prefix}. */
  static List<String> leftoverNamespaces(String prefix) throws IOException {
    var dir = Path.of("/var/run/netns");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var files = Files.list(dir)) {
      return new ArrayList<>(
          files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList());
    }
  }

  /** Runs {@code command} to the end (at most 30 s), asserting exit 0; its merged output. */
  static String run(String... command) throws IOException, InterruptedException {
    var p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    return out;
  }

  /** {@code ping -c 1 -W 2} in {@code netns}; its exit code. */
  static int ping(String netns, String ip) throws IOException, InterruptedException {
    return ping(netns, ip, null);
  }

  /** {@code ping -c 1 -W 2} in {@code netns}, from {@code source} when given; its exit code. */
  static int ping(String netns, String ip, String source) throws IOException, InterruptedException {
    var cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns, "ping", "-c", "1", "-W", "2"));
    if (source != null) {
      cmd.addAll(List.of("-I", source));
    }
    cmd.add(ip);
    var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }
}
