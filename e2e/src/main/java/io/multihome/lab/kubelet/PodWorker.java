package io.multihome.lab.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's pod worker for one pod (one UID): admission (device allocation), the sandbox with
 * its retries ({@code FailedCreatePodSandBox} on each failed ADD, the next attempt after back-off),
 * the containers ({@link ContainerDriver}), the status, and the tear-down when the pod goes
 * (containers stopped, DEL retried until it succeeds, {@code FailedKillPod} while it fails). Only
 * ever called from one thread at a time (the work queue guarantees it per pod).
 */
final class PodWorker {
  private static final Logger log = LoggerFactory.getLogger(PodWorker.class);

  private final KubeletContext ctx;
  private final String uid;
  private final String node;
  private final Path logDir;
  private final Instant startTime = Instant.now();
  private final ContainerDriver containers;
  private final List<SandboxManager.Active> leftovers = new ArrayList<>();
  private Pod pod;
  private boolean admitted;
  private String failedReason;
  private String failedMessage;
  private SandboxManager.Active sandbox;
  private List<String> podIps = List.of();
  private int attempts;
  private Instant nextSandboxTry = Instant.EPOCH;
  private Instant nextLeftoverTry = Instant.EPOCH;
  private int leftoverFailures;
  private boolean finished;
  private boolean terminating;
  private PodStatus lastWritten;
  private String lastWrittenOver;

  PodWorker(KubeletContext ctx, Pod pod, String node) {
    this.ctx = ctx;
    this.pod = pod;
    this.uid = pod.getMetadata().getUid();
    this.node = node;
    var m = pod.getMetadata();
    this.logDir =
        ctx.host()
            .workDir()
            .resolve("pods")
            .resolve(m.getNamespace() + "_" + m.getName() + "_" + m.getUid());
    this.containers = new ContainerDriver(ctx, pod, node, logDir);
    var defaultContainer =
        m.getAnnotations() == null ? null : m.getAnnotations().get(ContainerLogs.DEFAULT_CONTAINER);
    ctx.logs()
        .register(
            m.getNamespace(),
            m.getName(),
            defaultContainer != null || pod.getSpec().getContainers().isEmpty()
                ? defaultContainer
                : pod.getSpec().getContainers().get(0).getName(),
            containers.names());
  }

  String uid() {
    return uid;
  }

  Optional<Process> process(String container) {
    return containers.process(container);
  }

  /** Brings the pod one step further; returns when to look again (null: on events only). */
  Instant sync(Pod current, Instant now) throws InterruptedException {
    this.pod = current;
    if (!admitted) {
      admit();
    }
    Instant wake = retryLeftovers(now);
    if (failedReason != null || finished) {
      return wake;
    }
    if (sandbox == null) {
      if (now.isBefore(nextSandboxTry)) {
        return ContainerDriver.earliest(wake, nextSandboxTry);
      }
      createSandbox(now);
      if (sandbox == null) {
        return ContainerDriver.earliest(wake, nextSandboxTry);
      }
    }
    var step = containers.drive(pod, sandbox.netns(), podIps, hostIp(), now);
    if (step.finished()) {
      // A pod that has run to completion keeps its status but not its network (as the kubelet).
      finished = true;
      containers.stopAll(false);
      var s = sandbox;
      sandbox = null;
      if (ctx.sandboxes().remove(s).isPresent()) {
        leftovers.add(s);
        leftoverFailures++;
        nextLeftoverTry = now.plus(ctx.sandboxRetry().delayAfter(leftoverFailures));
        return ContainerDriver.earliest(wake, nextLeftoverTry);
      }
      return wake;
    }
    return ContainerDriver.earliest(wake, step.wake());
  }

  private void admit() {
    admitted = true;
    try {
      ctx.devices().allocate(pod, node);
    } catch (DeviceManager.AdmissionException e) {
      failedReason = "UnexpectedAdmissionError";
      failedMessage = e.getMessage();
      event(EventRecorder.WARNING, failedReason, failedMessage);
    } catch (IOException e) {
      failedReason = "UnexpectedAdmissionError";
      failedMessage = "Allocate failed: " + e.getMessage();
      event(EventRecorder.WARNING, failedReason, failedMessage);
    }
  }

  private void createSandbox(Instant now) throws InterruptedException {
    var result = ctx.sandboxes().add(pod, node, attempts);
    var m = pod.getMetadata();
    if (result instanceof SandboxManager.Ready ready) {
      sandbox = ready.sandbox();
      podIps =
          sandbox.hostNetwork()
              ? Optional.ofNullable(hostIp()).map(List::of).orElse(List.of())
              : sandbox.podIps();
      ctx.listener().attempted(info(sandbox));
      return;
    }
    attempts++;
    nextSandboxTry = now.plus(ctx.sandboxRetry().delayAfter(attempts));
    if (result instanceof SandboxManager.Failed failed) {
      if (failed.leftover() != null) {
        leftovers.add(failed.leftover());
      }
      event(EventRecorder.WARNING, "FailedCreatePodSandBox", failed.message());
      ctx.listener().attempted(info(failed.attempt()));
    } else if (result instanceof SandboxManager.NetworkNotReady notReady) {
      event(EventRecorder.WARNING, "NetworkNotReady", notReady.message());
      log.info("{}/{}: {}", m.getNamespace(), m.getName(), notReady.message());
    }
  }

  /** Sandboxes whose DEL failed: DEL again once their back-off is over. */
  private Instant retryLeftovers(Instant now) throws InterruptedException {
    if (leftovers.isEmpty()) {
      return null;
    }
    if (now.isBefore(nextLeftoverTry)) {
      return nextLeftoverTry;
    }
    for (var s : List.copyOf(leftovers)) {
      var error = ctx.sandboxes().remove(s);
      if (error.isEmpty()) {
        leftovers.remove(s);
      } else {
        event(
            EventRecorder.WARNING,
            "FailedKillPod",
            CriMessages.failedKillPod(s.call(), uid, error.get()));
      }
    }
    if (leftovers.isEmpty()) {
      leftoverFailures = 0;
      return null;
    }
    leftoverFailures++;
    nextLeftoverTry = now.plus(ctx.sandboxRetry().delayAfter(leftoverFailures));
    return nextLeftoverTry;
  }

  /**
   * The pod is gone (or going): stop the containers, DEL every sandbox. False while some DEL still
   * fails (the caller retries); then nothing of the pod is left on the node.
   */
  boolean terminate(Instant now) throws InterruptedException {
    if (!terminating) {
      terminating = true;
      containers.stopAll(true);
      if (sandbox != null) {
        leftovers.add(sandbox);
        sandbox = null;
      }
      nextLeftoverTry = Instant.EPOCH;
    }
    if (retryLeftovers(now) != null) {
      return false;
    }
    release();
    return true;
  }

  /** When the next DEL is due for a terminating pod. */
  Instant nextTeardownTry() {
    return nextLeftoverTry;
  }

  /** Lab exit: containers stopped, one DEL each, namespaces removed whatever DEL says. */
  void forceTerminate() {
    containers.stopAll(false);
    if (sandbox != null) {
      leftovers.add(sandbox);
      sandbox = null;
    }
    leftovers.forEach(ctx.sandboxes()::forceRemove);
    leftovers.clear();
    release();
  }

  private void release() {
    var m = pod.getMetadata();
    ctx.devices().release(node, uid);
    ctx.logs().remove(m.getNamespace(), m.getName());
    deleteTree(logDir);
    ctx.listener().removed(m.getNamespace(), m.getName(), uid);
  }

  /** The status the kubelet reports now, or empty when it is what was last written. */
  Optional<PodStatus> statusToWrite(Instant now) {
    var facts =
        new PodStatusBuilder.Facts(
            hostIp(),
            podIps,
            sandbox != null,
            startTime,
            failedReason,
            failedMessage,
            containers.initStatuses(),
            containers.mainStatuses());
    var status = PodStatusBuilder.build(pod, facts, now);
    var serialization = ctx.host().client().getKubernetesSerialization();
    if (serialization
        .convertValue(status, JsonNode.class)
        .equals(serialization.convertValue(pod.getStatus(), JsonNode.class))) {
      return Optional.empty();
    }
    // The informer may not have seen the last write yet: same status over the same version.
    if (status.equals(lastWritten)
        && Objects.equals(lastWrittenOver, pod.getMetadata().getResourceVersion())) {
      return Optional.empty();
    }
    return Optional.of(status);
  }

  /** {@code status} was written over the pod version the worker last saw. */
  void written(PodStatus status) {
    lastWritten = status;
    lastWrittenOver = pod.getMetadata().getResourceVersion();
  }

  Pod pod() {
    return pod;
  }

  private String hostIp() {
    return ctx.host().nodeAddress(node).orElse(null);
  }

  private SandboxInfo info(SandboxManager.Active s) {
    var add = s.add();
    return new SandboxInfo(
        s.namespace(),
        s.pod(),
        s.uid(),
        s.node(),
        s.netns(),
        s.id(),
        add.ok() ? 0 : add.exitCode() == 0 ? -1 : add.exitCode(),
        add.ok() ? add.stdout() : add.error(),
        add.stderr());
  }

  private void event(String type, String reason, String message) {
    ctx.events().record(pod, new EventRecorder.Source("kubelet", node), type, reason, message);
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.debug("deleting {}: {}", dir, e.toString());
    }
  }
}
