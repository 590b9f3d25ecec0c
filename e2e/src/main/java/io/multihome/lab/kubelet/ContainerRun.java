package io.multihome.lab.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.multihome.agent.cluster.Backoff;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One container of a pod as the kubelet tracks it: waiting (for the sandbox, or after a failed
 * create, or in crash-loop back-off), running (a process, or nothing for a container without a
 * command, which only holds the sandbox as a pause container does), or terminated with its exit
 * code; restarts counted, the previous run kept as {@code lastState}.
 */
final class ContainerRun {
  /** Crash-loop back-off: 10 s doubling to 5 min, as the kubelet. */
  static final Duration CRASH_BACKOFF_INITIAL = Duration.ofSeconds(10);

  static final Duration CRASH_BACKOFF_MAX = Duration.ofMinutes(5);

  final Container spec;
  final boolean init;
  private Process process;
  private boolean holdsSandboxOnly;
  private String containerId;
  private Instant startedAt;
  private int runs;
  private ContainerStateTerminated terminated;
  private ContainerStateTerminated lastTerminated;
  private String waitingReason;
  private String waitingMessage;
  private Instant notBefore = Instant.EPOCH;
  private int createFailures;
  private boolean backingOff;

  /** {@code waitingReason}: ContainerCreating, or PodInitializing while init containers run. */
  ContainerRun(Container spec, boolean init, String waitingReason) {
    this.spec = spec;
    this.init = init;
    this.waitingReason = waitingReason;
  }

  /** Runs started so far (the next run's log file is numbered by it). */
  int runs() {
    return runs;
  }

  String name() {
    return spec.getName();
  }

  /** Runs so far, minus the first: the status's {@code restartCount}. */
  int restartCount() {
    return Math.max(0, runs - 1);
  }

  boolean running() {
    return startedAt != null && terminated == null;
  }

  boolean terminated() {
    return terminated != null;
  }

  boolean succeeded() {
    return terminated != null && terminated.getExitCode() == 0;
  }

  /** Whether a start may be tried now (not running, back-off over). */
  boolean startDue(Instant now) {
    return !running() && !now.isBefore(notBefore);
  }

  Instant notBefore() {
    return notBefore;
  }

  /** Marks the container waiting (the sandbox is not there yet, or a main container waits). */
  void waiting(String reason, String message) {
    if (!running()) {
      this.waitingReason = reason;
      this.waitingMessage = message;
    }
  }

  /**
   * Starts a new run: {@code argv} empty means a container that only holds the sandbox. The
   * previous run, if any, becomes {@code lastState}; its log stays as the previous log.
   */
  Process start(String netns, List<String> argv, Map<String, String> env, Path cwd, Path log)
      throws IOException {
    if (terminated != null) {
      lastTerminated = terminated;
    }
    terminated = null;
    containerId = UUID.randomUUID().toString().replace("-", "") + uuidTail();
    runs++;
    if (argv.isEmpty()) {
      holdsSandboxOnly = true;
      process = null;
      Files.createDirectories(log.getParent());
      Files.writeString(log, "");
    } else {
      Files.createDirectories(cwd);
      process = ContainerProcesses.start(netns, argv, env, cwd, log);
    }
    startedAt = Instant.now();
    waitingReason = null;
    waitingMessage = null;
    createFailures = 0;
    backingOff = false;
    return process;
  }

  private static String uuidTail() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  /** A create that failed (binary missing): waiting {@code CreateContainerError}, retried later. */
  void createFailed(String message, Instant now, Backoff retry) {
    waitingReason = "CreateContainerError";
    waitingMessage = message;
    createFailures++;
    notBefore = now.plus(retry.delayAfter(createFailures));
  }

  /** An init container without a command: the lab has no image to run, so it completes at once. */
  void completeWithoutCommand() {
    containerId = uuidTail() + uuidTail();
    runs++;
    startedAt = Instant.now();
    terminated = terminatedState(0, startedAt, startedAt);
    waitingReason = null;
  }

  /** Whether the process has exited since the last look; records how. */
  boolean reapIfExited() {
    if (process == null || terminated != null || process.isAlive()) {
      return false;
    }
    terminated = terminatedState(process.exitValue(), startedAt, Instant.now());
    return true;
  }

  /** A terminated run will be restarted: waits {@code CrashLoopBackOff} first. */
  void backOff(Instant now, String podDescription) {
    Duration delay = doubling(CRASH_BACKOFF_INITIAL, CRASH_BACKOFF_MAX, runs);
    notBefore = now.plus(delay);
    backingOff = true;
    waitingReason = "CrashLoopBackOff";
    waitingMessage =
        "back-off "
            + delay.toSeconds()
            + "s restarting failed container="
            + name()
            + " pod="
            + podDescription;
  }

  /** Whether the current termination already got its back-off. */
  boolean backingOff() {
    return backingOff;
  }

  /** Stops the run's process group (SIGTERM, then SIGKILL after {@code grace}). */
  void stop(Duration grace) {
    if (process != null) {
      ContainerProcesses.stop(process, grace);
      reapIfExited();
    } else if (running()) {
      terminated = terminatedState(0, startedAt, Instant.now());
    }
  }

  Process process() {
    return process;
  }

  boolean holdsSandboxOnly() {
    return holdsSandboxOnly;
  }

  ContainerStatus status() {
    ContainerState state;
    ContainerStateTerminated last = lastTerminated;
    if (running() && waitingReason == null) {
      state = new ContainerStateBuilder().withNewRunning(ApiTime.format(startedAt)).build();
    } else if (terminated != null && waitingReason == null) {
      state = new ContainerStateBuilder().withTerminated(terminated).build();
    } else {
      state =
          new ContainerStateBuilder()
              .withNewWaiting()
              .withReason(waitingReason)
              .withMessage(waitingMessage)
              .endWaiting()
              .build();
      if (terminated != null) {
        last = terminated;
      }
    }
    var b =
        new ContainerStatusBuilder()
            .withName(name())
            .withImage(spec.getImage() == null ? "" : spec.getImage())
            .withImageID("")
            .withRestartCount(restartCount())
            .withReady(!init && running())
            .withStarted(running())
            .withState(state);
    if (containerId != null) {
      b.withContainerID("cri-o://" + containerId);
    }
    if (last != null) {
      b.withNewLastState().withTerminated(last).endLastState();
    }
    return b.build();
  }

  private ContainerStateTerminated terminatedState(int code, Instant started, Instant finished) {
    var b =
        new ContainerStateTerminatedBuilder()
            .withExitCode(code)
            .withReason(code == 0 ? "Completed" : "Error")
            .withStartedAt(ApiTime.format(started))
            .withFinishedAt(ApiTime.format(finished))
            .withContainerID("cri-o://" + containerId);
    if (code > 128) {
      b.withSignal(code - 128);
    }
    return b.build();
  }

  static Duration doubling(Duration first, Duration max, int failures) {
    long ms = first.toMillis();
    for (int i = 1; i < failures && ms < max.toMillis(); i++) {
      ms *= 2;
    }
    return Duration.ofMillis(Math.min(ms, max.toMillis()));
  }
}
