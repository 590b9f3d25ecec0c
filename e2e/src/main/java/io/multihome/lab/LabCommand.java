package io.multihome.lab;

import io.multihome.agent.cli.CliCommand;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code multihome lab [--nodes N] [--keep]}: an embedded multi-node cluster on network namespaces
 * with the real controller and agents, and a narrated scenario on it. Everything is removed on
 * exit, Ctrl-C included.
 */
@Command(
    name = "lab",
    mixinStandardHelpOptions = true,
    description = {
      "Start an embedded cluster (one network namespace per node, a fabric bridge, an in-memory",
      "Kubernetes API, the policy controller and one agent per node) and narrate a policy",
      "rollout, pod attachments through the CNI shim, a probe-caught rollback, SR-IOV on",
      "emulated NICs, bridge-aware placement and a Service on a whereabouts secondary network.",
      "Needs root. Removes everything on exit."
    })
public final class LabCommand implements Callable<Integer>, CliCommand {
  @Option(
      names = "--nodes",
      paramLabel = "N",
      defaultValue = "3",
      description = "Number of nodes (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(
      names = "--keep",
      description =
          "After the scenario keep the lab running in the foreground (API URL and kubeconfig"
              + " printed) until Ctrl-C.")
  boolean keep;

  @Option(
      names = "--bench",
      description =
          "Instead of the scenario: time one bridge policy rolled out to every node (NNCP created"
              + " to NNCP Available) and print the figure with the load average.")
  boolean bench;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    if (nodes < 1 || nodes > 64) {
      System.err.println("multihome lab: --nodes: " + nodes + " out of 1..64");
      return 2;
    }
    var root = repositoryRoot();
    if (root.isEmpty()) {
      System.err.println(
          "multihome lab: cannot find deploy/crds (run from the repository or its launcher)");
      return 2;
    }
    var stopped = new CountDownLatch(1);
    var holder = new Lab[1];
    var hook =
        new Thread(
            () -> {
              synchronized (holder) {
                if (holder[0] != null) {
                  holder[0].close();
                }
              }
              stopped.countDown();
            },
            "lab-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    if (bench) {
      try {
        return LabBench.run(nodes, root.get(), out, holder);
      } finally {
        out.println("Lab removed.");
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // Ctrl-C arrived: the hook is already running and cleans up.
        }
      }
    }
    // Component logs (controllers, agents, CNI daemons, the API server) go to a file: the screen is
    // for the narration. slf4j-simple and JUL write to whatever System.err is when they print.
    Path logFile = Files.createTempFile("mh-lab-", ".log");
    PrintStream console = System.err;
    var logs = new PrintStream(Files.newOutputStream(logFile), true, StandardCharsets.UTF_8);
    System.setErr(logs);
    out.println("Starting the lab with " + nodes + " nodes... (component logs: " + logFile + ")");
    long started = System.nanoTime();
    boolean ok = false;
    try (var lab =
        Lab.start(
            nodes,
            root.get(),
            Lab.Options.full(),
            created -> {
              synchronized (holder) {
                holder[0] = created;
              }
            })) {
      var outcome = new LabScenario(lab, out).run();
      out.println();
      out.println("Summary:");
      out.printf("  NNCP %s: %s%n", LabScenario.BRIDGE_POLICY, outcome.bridgePolicyStatus());
      out.printf("  ping pod-a -> pod-b over br1: exit code %d%n", outcome.pingExitCode());
      out.printf(
          "  NNCP %s: %s (NNCE %s: %s)%n",
          LabScenario.BROKEN_POLICY,
          outcome.brokenPolicyStatus(),
          outcome.failingReason(),
          outcome.failingMessage());
      out.printf(
          "  nodes unchanged by the broken policy: %s%n", outcome.nodesUnchangedByBrokenPolicy());
      out.printf("  SR-IOV node states: %s%n", outcome.sriovSyncStatus());
      out.printf("  ping vf-a -> vf-b over VFs: exit code %d%n", outcome.vfPingExitCode());
      out.printf(
          "  %s (bridge on %s) scheduled to: %s%n",
          VmBridgeStep.PLACED_POD,
          String.join(", ", outcome.vmBridgeNodes()),
          outcome.vmPlacedOn());
      out.printf(
          "  %s after the bridge was removed: %s%n",
          VmBridgeStep.PENDING_POD,
          outcome.vmPendingMessage() == null
              ? "not reported unschedulable"
              : "Pending, " + outcome.vmPendingMessage());
      out.printf(
          "  Service %s (%s) on %s, servers on %s: answers %s%n",
          ServiceStep.SERVICE,
          outcome.serviceClusterIp(),
          ServiceStep.NAD,
          String.join(", ", outcome.serviceBackendNodes()),
          outcome.serviceAnswers());
      out.printf("  scenario took %.1f s%n", (System.nanoTime() - started) / 1e9);
      ok = outcome.ok();
      if (!ok) {
        printTail(logFile, out);
      }
      if (keep) {
        var kubeconfig = lab.writeKubeconfig();
        out.println();
        out.println("The lab keeps running. API server: " + lab.apiUrl());
        out.println("Kubeconfig: " + kubeconfig + "  (export KUBECONFIG=" + kubeconfig + ")");
        out.println("Look around: ./multihome show --netns " + lab.namespaceOf(lab.nodes().get(0)));
        out.println(
            "kubectl works as against a cluster: kubectl get nncp,nnce,nns; kubectl get"
                + " sriovnetworknodestates -A; describe, create/apply -f, logs, get -w.");
        out.println(
            "Pods created through the API are scheduled onto a lab node (or name one in"
                + " spec.nodeName) and get a sandbox (netns mh-lab-"
                + lab.fabric().id()
                + "-pod-<namespace>-<name>, CNI ADD through the shim); their containers' commands"
                + " run on the host inside it. Deployments work. Deleting a pod stops its processes"
                + " and runs DEL.");
        out.println("Ctrl-C stops it and removes everything.");
        out.flush();
        stopped.await();
      }
      return ok ? 0 : 1;
    } catch (Exception | Error e) {
      printTail(logFile, out);
      throw e;
    } finally {
      out.println("Lab removed." + (ok ? "" : " Component logs: " + logFile));
      out.flush();
      System.setErr(console);
      logs.close();
      if (ok && !keep) {
        Files.deleteIfExists(logFile);
      }
      if (!keep) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // Ctrl-C arrived: the hook is already running and cleans up.
        }
      }
    }
  }

  /** The last lines of the component log, after a failure. */
  static void printTail(Path logFile, PrintStream out) {
    try {
      var lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      int from = Math.max(0, lines.size() - TAIL_LINES);
      out.println();
      out.println("Last " + (lines.size() - from) + " lines of " + logFile + ":");
      lines.subList(from, lines.size()).forEach(l -> out.println("  " + l));
    } catch (java.io.IOException e) {
      out.println("(cannot read " + logFile + ": " + e.getMessage() + ")");
    }
  }

  static final int TAIL_LINES = 40;

  /**
   * The directory holding {@code deploy/crds}: the working directory or one of its parents, else
   * the checkout the launcher's jar was built in ({@code e2e/target/*.jar}).
   */
  static Optional<Path> repositoryRoot() {
    var fromCwd = upwards(Path.of("").toAbsolutePath());
    if (fromCwd.isPresent()) {
      return fromCwd;
    }
    try {
      var code = LabCommand.class.getProtectionDomain().getCodeSource();
      return code == null ? Optional.empty() : upwards(Path.of(code.getLocation().toURI()));
    } catch (URISyntaxException | SecurityException e) {
      return Optional.empty();
    }
  }

  private static Optional<Path> upwards(Path start) {
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("deploy/crds"))) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
