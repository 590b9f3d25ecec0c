package io.multihome.e2e.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import io.multihome.api.nad.NetworkAttachmentDefinitionSpec;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The lab's kubelet on a 2-node lab, through the API as a user sees it: a sandbox that fails
 * (missing NAD, broken NAD) gives {@code FailedCreatePodSandBox} events with the CNI error as CRI-O
 * prints it and is retried until the NAD exists ({@code kubectl wait --for=condition=Ready} returns
 * then); a DEL that fails is retried and reported ({@code FailedKillPod}); containers' commands run
 * in the pod's network namespace, log to files {@code kubectl logs} reads and stop with the pod; a
 * missing binary is a {@code Failed} event and {@code CreateContainerError}; a pod that runs to
 * completion is Succeeded and gives its network back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubeletE2ETest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String NS = "kb";
  private static final String NETWORK = "multihome-cni-network";

  private Lab lab;
  private LabPods pods;
  private Path ipamDir;
  private String node1;

  @BeforeAll
  void startLab() throws Exception {
    // As on a cluster with Multus alone: the injection webhook would refuse a pod whose NAD does
    // not exist yet, and this class tests how the kubelet waits for one.
    lab = SuiteLab.start(2, SuiteLab.withoutSriov().withoutInjectionWebhook());
    ipamDir = Files.createDirectories(lab.workDir().resolve("kb-ipam"));
    node1 = lab.nodes().get(0);
    pods = new LabPods(lab, NS);
    SuiteLab.createNamespace(lab, NS);
  }

  @AfterAll
  void closeLab() throws IOException {
    SuiteLab.close(lab);
  }

  @Test
  void podWhoseNadAppearsLaterBecomesReadyAndKubectlWaitSeesIt() throws Exception {
    var pod =
        pods.create(
            pods.pod("late", node1, LabPods.container("c"))
                .editMetadata()
                .addToAnnotations("k8s.v1.cni.cncf.io/networks", "late-net")
                .endMetadata()
                .build());
    String uid = pod.getMetadata().getUid();
    var wait = pods.kubectl("wait", "-n", NS, "--for=condition=Ready", "pod/late", "--timeout=90s");

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(pods.events("late", "FailedCreatePodSandBox")).isNotEmpty());
    var event = pods.events("late", "FailedCreatePodSandBox").get(0);
    assertThat(event.getType()).isEqualTo("Warning");
    assertThat(event.getSource().getComponent()).isEqualTo("kubelet");
    assertThat(event.getSource().getHost()).isEqualTo(node1);
    assertThat(event.getInvolvedObject().getUid()).isEqualTo(uid);
    assertThat(event.getMessage())
        .startsWith(
            "Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create pod"
                + " network sandbox k8s_late_kb_"
                + uid
                + "_0(")
        .contains(
            "): error adding pod kb_late to CNI network \""
                + NETWORK
                + "\": plugin type=\"multihome-cni\" name=\""
                + NETWORK
                + "\" failed (add): ")
        .contains("late-net");
    var pending = pods.get("late");
    assertThat(pending.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(
            pending.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason())
        .isEqualTo("ContainerCreating");
    assertThat(LabPods.condition(pending, "PodScheduled").get().getStatus()).isEqualTo("True");
    assertThat(LabPods.condition(pending, "Ready").get().getStatus()).isEqualTo("False");
    assertThat(pending.getStatus().getHostIP()).isEqualTo(LabFabric.nodeAddress(1));
    assertThat(pending.getStatus().getPodIP()).isNull();
    // The NAD appears only after the kubelet tried (and failed) twice more.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(pods.events("late", "FailedCreatePodSandBox"))
                    .anySatisfy(e -> assertThat(e.getMessage()).contains("_" + uid + "_2(")));
    assertThat(wait.isAlive()).as("kubectl wait still waiting").isTrue();

    createNad("late-net", bridgeNad("late-net", "kbr0", "198.18.30"));

    assertThat(wait.waitFor(90, TimeUnit.SECONDS)).as("kubectl wait returned").isTrue();
    String waited = new String(wait.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(wait.exitValue()).as(waited).isZero();
    assertThat(waited).contains("pod/late condition met");
    var ready = pods.get("late");
    assertThat(ready.getStatus().getPhase()).isEqualTo("Running");
    assertThat(ready.getStatus().getPodIP()).startsWith("198.19.1.");
    assertThat(ready.getStatus().getPodIPs()).hasSize(1);
    for (var type :
        List.of("PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready")) {
      assertThat(LabPods.condition(ready, type).get().getStatus()).as(type).isEqualTo("True");
    }
    var cs = ready.getStatus().getContainerStatuses().get(0);
    assertThat(cs.getReady()).isTrue();
    assertThat(cs.getState().getRunning()).isNotNull();
    assertThat(cs.getContainerID()).startsWith("cri-o://");
    assertThat(ready.getMetadata().getAnnotations().get("k8s.v1.cni.cncf.io/network-status"))
        .contains("kb/late-net");
    // Every attempt is its own sandbox (attempt number in its name), each failure an event.
    var attempts = pods.events("late", "FailedCreatePodSandBox");
    assertThat(attempts.get(attempts.size() - 1).getMessage()).contains("k8s_late_kb_" + uid + "_");
    pods.delete("late");
    assertThat(lab.runtime().awaitRemoved(NS, "late", WAIT)).isTrue();
  }

  @Test
  void brokenNadKeepsThePodContainerCreatingAndIsRetried() throws Exception {
    // A bridge name longer than the kernel's 15 bytes: ADD fails, DEL (nothing to undo) succeeds.
    createNad(
        "broken",
        "{\"cniVersion\":\"1.0.0\",\"name\":\"broken\",\"type\":\"bridge\","
            + "\"bridge\":\"kb-bridge-name-too-long\"}");
    var pod =
        pods.create(
            pods.pod("broken", node1, LabPods.container("c"))
                .editMetadata()
                .addToAnnotations("k8s.v1.cni.cncf.io/networks", "broken")
                .endMetadata()
                .build());
    String uid = pod.getMetadata().getUid();
    // At least two attempts, each its own sandbox, each failing with the delegate's error.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(pods.events("broken", "FailedCreatePodSandBox"))
                    .anySatisfy(e -> assertThat(e.getMessage()).contains("_" + uid + "_0("))
                    .anySatisfy(e -> assertThat(e.getMessage()).contains("_" + uid + "_1(")));
    assertThat(pods.events("broken", "FailedCreatePodSandBox"))
        .allSatisfy(e -> assertThat(e.getMessage()).contains("kb-bridge-name-too-long"));
    var p = pods.get("broken");
    assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(p.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason())
        .isEqualTo("ContainerCreating");
    assertThat(LabPods.ready(p)).isFalse();
    pods.delete("broken");
    assertThat(lab.runtime().awaitRemoved(NS, "broken", WAIT)).isTrue();
  }

  @Test
  void failedDelIsReportedAndRetriedUntilTheSandboxIsGone() throws Exception {
    createNad("del-net", bridgeNad("del-net", "kbr1", "198.18.31"));
    pods.create(
        pods.pod("del", node1, LabPods.container("c"))
            .editMetadata()
            .addToAnnotations("k8s.v1.cni.cncf.io/networks", "del-net")
            .endMetadata()
            .build());
    await().atMost(WAIT).until(() -> LabPods.ready(pods.get("del")));
    var sandbox = lab.runtime().awaitSandbox(NS, "del", WAIT).orElseThrow();
    String uid = sandbox.uid();
    assertThat(leases("198.18.31.")).hasSize(1);
    Path shim = lab.runtime().cniBinDir().resolve("multihome-cni");
    Path target = Files.readSymbolicLink(shim);
    Files.delete(shim);
    try {
      pods.delete("del");
      await()
          .atMost(WAIT)
          .untilAsserted(() -> assertThat(pods.events("del", "FailedKillPod")).isNotEmpty());
      assertThat(pods.events("del", "FailedKillPod").get(0).getMessage())
          .startsWith("error killing pod: failed to \"KillPodSandbox\" for \"" + uid + "\"")
          .contains("failed to find plugin \\\"multihome-cni\\\" in path");
      assertThat(LabPods.netnsExists(sandbox.netns())).as("namespace kept for the retry").isTrue();
      assertThat(leases("198.18.31.")).as("DEL has not run").hasSize(1);
    } finally {
      Files.createSymbolicLink(shim, target);
    }
    assertThat(lab.runtime().awaitRemoved(NS, "del", WAIT)).isTrue();
    assertThat(LabPods.netnsExists(sandbox.netns())).isFalse();
    assertThat(leases("198.18.31.")).as("lease released by the retried DEL").isEmpty();
  }

  @Test
  void commandsRunInThePodNamespaceLogAndStopWithThePod() throws Exception {
    var web = LabPods.container("web", "python3", "-m", "http.server", "8080");
    var echo = LabPods.container("echo", "sh", "-c");
    echo.setArgs(
        List.of("sleep 1000 & echo hello from $(POD_NAME); echo oops >&2; exec sleep 1001"));
    echo.setEnv(
        List.of(
            new EnvVarBuilder()
                .withName("POD_NAME")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("metadata.name")
                .endFieldRef()
                .endValueFrom()
                .build()));
    pods.create(pods.pod("web", node1, web, echo).build());
    await().atMost(WAIT).until(() -> LabPods.ready(pods.get("web")));
    var sandbox = lab.runtime().awaitSandbox(NS, "web", WAIT).orElseThrow();
    var process = lab.runtime().containerProcess(NS, "web", "web").orElseThrow();
    // The lab's runtime reports a container started only once its process is in the pod's
    // namespace (it is started through nsenter), as a real runtime does.
    assertThat(Files.readSymbolicLink(Path.of("/proc/" + process.pid() + "/ns/net")).toString())
        .as("web's process is in the pod's network namespace")
        .isEqualTo(netnsId(sandbox.netns()));
    String podIp = pods.get("web").getStatus().getPodIP();
    // From the node (cni0 is its gateway to the pod network) to the pod's server.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        run(
                            "ip",
                            "netns",
                            "exec",
                            lab.namespaceOf(node1),
                            "python3",
                            "-c",
                            "import urllib.request;print(urllib.request.urlopen('http://"
                                + podIp
                                + ":8080/',timeout=3).status)"))
                    .contains("200"));
    var logs = lab.runtime().logs();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(LabPods.read(logs.logFile(NS, "web", "web").orElseThrow()))
                    .contains("\"GET / HTTP/1.1\" 200"));
    assertThat(LabPods.read(logs.logFile(NS, "web", "echo").orElseThrow()))
        .contains("hello from web")
        .contains("oops");
    assertThat(logs.logFile(NS, "web", null)).isEqualTo(logs.logFile(NS, "web", "web"));
    assertThat(logs.containers(NS, "web")).containsExactly("web", "echo");
    String netnsId = netnsId(sandbox.netns());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(processesIn(netnsId))
                    .as("both containers and echo's background sleep")
                    .hasSize(3));

    pods.delete("web");
    assertThat(lab.runtime().awaitRemoved(NS, "web", WAIT)).isTrue();
    assertThat(process.isAlive()).isFalse();
    assertThat(Files.exists(Path.of("/proc/" + process.pid()))).isFalse();
    assertThat(processesIn(netnsId)).as("every process of the pod stopped").isEmpty();
    assertThat(LabPods.netnsExists(sandbox.netns())).isFalse();
    assertThat(logs.logFile(NS, "web", "web")).isEmpty();
  }

  @Test
  void kubectlLogsShowsEachContainerTheTailAndFollowsARunToItsEnd() throws Exception {
    var a = LabPods.container("a", "sh", "-c", "echo from a; exec sleep 1000");
    var b = LabPods.container("b", "sh", "-c", "echo one; echo two; echo three; exec sleep 1000");
    pods.create(pods.pod("talk", node1, a, b).build());
    var ticker =
        LabPods.container("ticker", "sh", "-c", "for i in 1 2 3 4; do echo tick $i; sleep 1; done");
    await().atMost(WAIT).until(() -> LabPods.ready(pods.get("talk")));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(pods.kubectlOk("logs", "-n", NS, "talk", "-c", "b"))
                    .isEqualTo("one\ntwo\nthree\n"));
    assertThat(pods.kubectlOk("logs", "-n", NS, "talk", "-c", "b", "--tail=2"))
        .isEqualTo("two\nthree\n");
    assertThat(pods.kubectlOk("logs", "-n", NS, "talk", "-c", "b", "--limit-bytes=6"))
        .isEqualTo("one\ntw");
    // kubectl picks the first container itself and says so (stderr is merged here).
    assertThat(pods.kubectlOk("logs", "-n", NS, "talk"))
        .contains("Defaulted container \"a\" out of: a, b")
        .endsWith("from a\n");
    assertThat(kubectlFails("logs", "-n", NS, "talk", "-c", "nope"))
        .contains("container nope is not valid for pod talk");
    assertThat(kubectlFails("logs", "-n", NS, "talk", "-c", "a", "--previous"))
        .contains("previous terminated container \"a\" in pod \"talk\" not found");
    assertThat(kubectlFails("logs", "-n", NS, "talk", "-c", "a", "--timestamps"))
        .contains("--timestamps is not supported");

    pods.create(
        pods.pod("ticker", node1, ticker).editSpec().withRestartPolicy("Never").endSpec().build());
    await().atMost(WAIT).until(() -> "Running".equals(pods.get("ticker").getStatus().getPhase()));
    long started = System.nanoTime();
    // -f streams while the container runs and ends when it exits, with every line.
    assertThat(pods.kubectlOk("logs", "-n", NS, "ticker", "-f"))
        .isEqualTo("tick 1\ntick 2\ntick 3\ntick 4\n");
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("followed until the run ended, not just read")
        .isGreaterThan(Duration.ofMillis(1500));
    pods.delete("talk");
    pods.delete("ticker");
  }

  @Test
  void kubectlLogsPreviousShowsTheRunBeforeARestart() throws Exception {
    // Each run counts itself in a file of its working directory, which outlives the run.
    var counter =
        LabPods.container(
            "counter",
            "sh",
            "-c",
            "n=$(cat n 2>/dev/null || echo 0); n=$((n+1)); echo $n > n; echo run $n; sleep 1;"
                + " exit 1");
    pods.create(pods.pod("counter", node1, counter).build());
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var st = pods.get("counter").getStatus().getContainerStatuses();
              return st != null
                  && !st.isEmpty()
                  && st.get(0).getRestartCount() >= 1
                  && st.get(0).getState().getRunning() != null;
            });
    // The new run writes its line a moment after it started.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(pods.kubectlOk("logs", "-n", NS, "counter")).matches("run \\d+\n"));
    String current = pods.kubectlOk("logs", "-n", NS, "counter");
    String previous = pods.kubectlOk("logs", "-n", NS, "counter", "--previous");
    assertThat(current).matches("run \\d+\n");
    int n = Integer.parseInt(current.trim().substring(4));
    assertThat(previous).isEqualTo("run " + (n - 1) + "\n");
    pods.delete("counter");
  }

  /** kubectl that must fail; its output (stderr merged). */
  private String kubectlFails(String... args) throws IOException, InterruptedException {
    var p = pods.kubectl(args);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("kubectl " + String.join(" ", args) + ": " + out).isNotZero();
    return out;
  }

  @Test
  void hostNetworkPodRunsInTheNodeNamespaceWithoutCni() throws Exception {
    pods.create(
        pods.pod("hostnet", node1, LabPods.container("c", "sleep", "1000"))
            .editSpec()
            .withHostNetwork(true)
            .endSpec()
            .build());
    await().atMost(WAIT).until(() -> LabPods.ready(pods.get("hostnet")));
    var p = pods.get("hostnet");
    assertThat(p.getStatus().getPodIP()).isEqualTo(LabFabric.nodeAddress(1));
    assertThat(p.getMetadata().getAnnotations())
        .doesNotContainKey("k8s.v1.cni.cncf.io/network-status");
    var process = lab.runtime().containerProcess(NS, "hostnet", "c").orElseThrow();
    assertThat(Files.readSymbolicLink(Path.of("/proc/" + process.pid() + "/ns/net")).toString())
        .isEqualTo(netnsId(lab.namespaceOf(node1)));
    pods.delete("hostnet");
    assertThat(lab.runtime().awaitRemoved(NS, "hostnet", WAIT)).isTrue();
    assertThat(process.isAlive()).isFalse();
    assertThat(LabPods.netnsExists(lab.namespaceOf(node1)))
        .as("the node's namespace stays")
        .isTrue();
  }

  @Test
  void missingBinaryIsAFailedEventAndCreateContainerError() throws Exception {
    pods.create(pods.pod("nobin", node1, LabPods.container("c", "no-such-binary-xyz")).build());
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(pods.events("nobin", "Failed")).isNotEmpty());
    var event = pods.events("nobin", "Failed").get(0);
    assertThat(event.getType()).isEqualTo("Warning");
    assertThat(event.getInvolvedObject().getFieldPath()).isEqualTo("spec.containers{c}");
    assertThat(event.getMessage())
        .isEqualTo(
            "Error: container create failed: runc create failed: unable to start container"
                + " process: exec: \"no-such-binary-xyz\": executable file not found in $PATH");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var p = pods.get("nobin");
              var waiting = LabPods.firstContainerStatus(p).getState().getWaiting();
              assertThat(waiting).isNotNull();
              assertThat(waiting.getReason()).isEqualTo("CreateContainerError");
              assertThat(waiting.getMessage()).contains("no-such-binary-xyz");
              assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
              assertThat(LabPods.ready(p)).isFalse();
            });
    pods.delete("nobin");
    assertThat(lab.runtime().awaitRemoved(NS, "nobin", WAIT)).isTrue();
  }

  @Test
  void podThatRunsToCompletionSucceedsAndGivesItsNetworkBack() throws Exception {
    var once = LabPods.container("once", "sh", "-c", "echo done; exit 0");
    var failing = LabPods.container("failing", "sh", "-c", "exit 3");
    pods.create(
        pods.pod("once", node1, once).editSpec().withRestartPolicy("Never").endSpec().build());
    pods.create(
        pods.pod("failing", node1, failing)
            .editSpec()
            .withRestartPolicy("Never")
            .endSpec()
            .build());
    var sandbox = lab.runtime().awaitSandbox(NS, "once", WAIT).orElseThrow();
    await().atMost(WAIT).until(() -> "Succeeded".equals(pods.get("once").getStatus().getPhase()));
    await().atMost(WAIT).until(() -> "Failed".equals(pods.get("failing").getStatus().getPhase()));
    var done = pods.get("once").getStatus().getContainerStatuses().get(0).getState();
    assertThat(done.getTerminated().getExitCode()).isZero();
    assertThat(done.getTerminated().getReason()).isEqualTo("Completed");
    var failed = pods.get("failing").getStatus().getContainerStatuses().get(0).getState();
    assertThat(failed.getTerminated().getExitCode()).isEqualTo(3);
    assertThat(failed.getTerminated().getReason()).isEqualTo("Error");
    assertThat(LabPods.condition(pods.get("once"), "Ready").get().getReason())
        .isEqualTo("PodCompleted");
    await().atMost(WAIT).until(() -> !LabPods.netnsExists(sandbox.netns()));
    assertThat(LabPods.read(lab.runtime().logs().logFile(NS, "once", "once").orElseThrow()))
        .isEqualTo("done\n");
    pods.delete("once");
    pods.delete("failing");
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void stoppingTheRuntimeStopsEveryContainerAndRemovesEverySandbox() throws Exception {
    pods.create(
        pods.pod("last", node1, LabPods.container("c", "sh", "-c", "sleep 1000 & exec sleep 1001"))
            .build());
    await().atMost(WAIT).until(() -> LabPods.ready(pods.get("last")));
    var sandbox = lab.runtime().awaitSandbox(NS, "last", WAIT).orElseThrow();
    var process = lab.runtime().containerProcess(NS, "last", "c").orElseThrow();
    String netnsId = netnsId(sandbox.netns());
    // Ready once the shell started; its background child follows a moment later.
    await().atMost(WAIT).untilAsserted(() -> assertThat(processesIn(netnsId)).hasSize(2));

    lab.runtime().close();

    assertThat(process.isAlive()).isFalse();
    assertThat(processesIn(netnsId)).as("the container's background child too").isEmpty();
    assertThat(LabPods.netnsExists(sandbox.netns())).isFalse();
    assertThat(lab.runtime().sandboxes()).isEmpty();
  }

  private String bridgeNad(String name, String bridge, String prefix) {
    return """
        {"cniVersion":"1.0.0","name":"%s","type":"bridge","bridge":"%s",
         "ipam":{"type":"host-local","dataDir":"%s",
                 "ranges":[[{"subnet":"%s.0/24","rangeStart":"%s.10","rangeEnd":"%s.50"}]]}}
        """
        .formatted(name, bridge, ipamDir, prefix, prefix, prefix);
  }

  private void createNad(String name, String config) {
    var nad = new NetworkAttachmentDefinition();
    nad.getMetadata().setNamespace(NS);
    nad.getMetadata().setName(name);
    nad.setSpec(new NetworkAttachmentDefinitionSpec(config));
    lab.client().resources(NetworkAttachmentDefinition.class).resource(nad).create();
  }

  /** host-local lease files (named by address) under this test's IPAM dir with {@code prefix}. */
  private List<String> leases(String prefix) throws IOException {
    try (Stream<Path> files = Files.walk(ipamDir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList();
    }
  }

  /** A named namespace as /proc shows it in {@code ns/net} links: {@code net:[<inode>]}. */
  private static String netnsId(String netns) throws IOException {
    return "net:[" + Files.getAttribute(Path.of("/run/netns", netns), "unix:ino") + "]";
  }

  /** PIDs of processes in the network namespace {@code want} ({@link #netnsId}). */
  private static List<Long> processesIn(String want) throws IOException {
    var out = new ArrayList<Long>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (var p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          if (want.equals(Files.readSymbolicLink(p.resolve("ns/net")).toString())) {
            out.add(Long.parseLong(p.getFileName().toString()));
          }
        } catch (IOException gone) {
          // exited meanwhile
        }
      }
    }
    return out;
  }

  private static String run(String... command) throws IOException, InterruptedException {
    var p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }
}
