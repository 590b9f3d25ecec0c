package io.multihome.lab.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pod's containers once its sandbox is up: init containers one after the other, each to a
 * successful exit, then every container started; exits handled by the pod's {@code restartPolicy}
 * (restart after crash-loop back-off, or stay terminated). Emits the kubelet's container events
 * ({@code Created}, {@code Started}, {@code Failed}, {@code BackOff}, {@code Killing}).
 */
final class ContainerDriver {
  /** What the next look should be: when (null: only on events) and whether the pod is done. */
  record Step(Instant wake, boolean finished) {}

  private static final Logger log = LoggerFactory.getLogger(ContainerDriver.class);

  private final KubeletContext ctx;
  private final String key;
  private final String node;
  private final Path logDir;
  private final List<ContainerRun> init = new ArrayList<>();
  private final List<ContainerRun> main = new ArrayList<>();
  private Pod pod;

  ContainerDriver(KubeletContext ctx, Pod pod, String node, Path logDir) {
    this.ctx = ctx;
    this.pod = pod;
    this.node = node;
    this.logDir = logDir;
    this.key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    var initSpecs =
        Objects.requireNonNullElse(pod.getSpec().getInitContainers(), List.<Container>of());
    initSpecs.forEach(c -> init.add(new ContainerRun(c, true, "PodInitializing")));
    String mainWaiting = initSpecs.isEmpty() ? "ContainerCreating" : "PodInitializing";
    pod.getSpec().getContainers().forEach(c -> main.add(new ContainerRun(c, false, mainWaiting)));
  }

  List<String> names() {
    var out = new ArrayList<String>();
    init.forEach(r -> out.add(r.name()));
    main.forEach(r -> out.add(r.name()));
    return out;
  }

  List<ContainerStatus> initStatuses() {
    return init.stream().map(ContainerRun::status).toList();
  }

  List<ContainerStatus> mainStatuses() {
    return main.stream().map(ContainerRun::status).toList();
  }

  Optional<Process> process(String container) {
    return runs().filter(r -> r.name().equals(container)).findFirst().map(ContainerRun::process);
  }

  private java.util.stream.Stream<ContainerRun> runs() {
    return java.util.stream.Stream.concat(init.stream(), main.stream());
  }

  /** One step: reap exits, then start or restart what is due. */
  Step drive(Pod current, String netns, List<String> podIps, String hostIp, Instant now) {
    this.pod = current;
    String policy = Objects.requireNonNullElse(pod.getSpec().getRestartPolicy(), "Always");
    Instant wake = null;
    for (var run : init) {
      run.reapIfExited();
      if (run.succeeded()) {
        continue;
      }
      if (run.running()) {
        return new Step(null, false);
      }
      if (run.terminated()) {
        if (policy.equals("Never")) {
          return new Step(null, true);
        }
        enterBackOff(run, now);
      }
      if (!run.startDue(now)) {
        return new Step(run.notBefore(), false);
      }
      start(run, netns, podIps, hostIp, now);
      if (!run.succeeded()) {
        return new Step(run.running() ? null : run.notBefore(), false);
      }
    }
    boolean anyLeft = false;
    for (var run : main) {
      run.reapIfExited();
      if (run.running()) {
        anyLeft = true;
        continue;
      }
      boolean restart =
          !run.terminated()
              || policy.equals("Always")
              || (policy.equals("OnFailure") && !run.succeeded());
      if (!restart) {
        continue;
      }
      anyLeft = true;
      if (run.terminated()) {
        enterBackOff(run, now);
      }
      if (run.startDue(now)) {
        start(run, netns, podIps, hostIp, now);
      }
      if (!run.running()) {
        wake = earliest(wake, run.notBefore());
      }
    }
    return new Step(wake, !anyLeft);
  }

  private void enterBackOff(ContainerRun run, Instant now) {
    if (run.backingOff()) {
      return;
    }
    var m = pod.getMetadata();
    String podDesc = m.getName() + "_" + m.getNamespace() + "(" + m.getUid() + ")";
    run.backOff(now, podDesc);
    event(
        run,
        EventRecorder.WARNING,
        "BackOff",
        "Back-off restarting failed container " + run.name() + " in pod " + podDesc);
  }

  private void start(
      ContainerRun run, String netns, List<String> podIps, String hostIp, Instant now) {
    var env = environment(run.spec, podIps, hostIp);
    var argv = new ArrayList<>(ContainerProcesses.argv(run.spec, env));
    if (argv.isEmpty() && run.init) {
      run.completeWithoutCommand();
      return;
    }
    if (!argv.isEmpty()) {
      try {
        Path binary = ContainerProcesses.resolve(argv.get(0), env.get("PATH"));
        if (ContainerProcesses.isInitSystem(binary)) {
          event(
              run,
              EventRecorder.WARNING,
              "LabCommandReplaced",
              "the lab runs commands on the host and does not start init systems: "
                  + String.join(" ", argv)
                  + " runs as "
                  + String.join(" ", ContainerProcesses.STAND_IN));
          argv = new ArrayList<>(ContainerProcesses.STAND_IN);
          binary = ContainerProcesses.resolve(argv.get(0), env.get("PATH"));
        }
        argv.set(0, binary.toString());
      } catch (ContainerProcesses.ExecException e) {
        String message = CriMessages.containerCreateFailed(e.getMessage());
        run.createFailed(message, now, ctx.createRetry());
        event(run, EventRecorder.WARNING, "Failed", "Error: " + message);
        return;
      }
    }
    Path logFile = logDir.resolve(run.name()).resolve(run.runs() + ".log");
    try {
      var process = run.start(netns, argv, env, workingDir(run), logFile);
      var m = pod.getMetadata();
      ctx.logs().started(m.getNamespace(), m.getName(), run.name(), logFile);
      event(run, EventRecorder.NORMAL, "Created", "Created container " + run.name());
      event(run, EventRecorder.NORMAL, "Started", "Started container " + run.name());
      if (process != null) {
        process.onExit().thenRun(() -> ctx.wake().accept(key));
      }
    } catch (IOException e) {
      String message = CriMessages.containerCreateFailed(e.getMessage());
      run.createFailed(message, now, ctx.createRetry());
      event(run, EventRecorder.WARNING, "Failed", "Error: " + message);
    }
  }

  /** The container's {@code workingDir} when it exists on the host, else a directory of its own. */
  private Path workingDir(ContainerRun run) {
    String wd = run.spec.getWorkingDir();
    if (wd != null && !wd.isEmpty() && Files.isDirectory(Path.of(wd))) {
      return Path.of(wd);
    }
    return logDir.resolve(run.name()).resolve("cwd");
  }

  /**
   * The process environment: PATH, HOSTNAME, HOME, then the container's {@code env} in order
   * (values with {@code $(VAR)} expanded from earlier ones; {@code fieldRef} for the pod's name,
   * namespace, UID, node, service account and addresses).
   */
  Map<String, String> environment(Container c, List<String> podIps, String hostIp) {
    var env = new LinkedHashMap<String, String>();
    env.put("HOSTNAME", pod.getMetadata().getName());
    env.put("HOME", "/root");
    for (EnvVar e : Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of())) {
      if (e.getValue() != null) {
        env.put(e.getName(), ContainerProcesses.expand(e.getValue(), env));
      } else if (e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null) {
        String v = field(e.getValueFrom().getFieldRef().getFieldPath(), podIps, hostIp);
        if (v != null) {
          env.put(e.getName(), v);
        }
      } else if (e.getValueFrom() != null) {
        log.info(
            "{}: env {} of container {}: only value and fieldRef are supported in the lab",
            key,
            e.getName(),
            c.getName());
      } else {
        env.put(e.getName(), "");
      }
    }
    env.putIfAbsent("PATH", ContainerProcesses.searchPath(env));
    return env;
  }

  private String field(String path, List<String> podIps, String hostIp) {
    var m = pod.getMetadata();
    return switch (path) {
      case "metadata.name" -> m.getName();
      case "metadata.namespace" -> m.getNamespace();
      case "metadata.uid" -> m.getUid();
      case "spec.nodeName" -> node;
      case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
      case "status.podIP" -> podIps.isEmpty() ? "" : podIps.get(0);
      case "status.podIPs" -> String.join(",", podIps);
      case "status.hostIP", "status.hostIPs" -> hostIp == null ? "" : hostIp;
      default -> null;
    };
  }

  /** Stops every running container (SIGTERM, SIGKILL after the grace period). */
  void stopAll(boolean withEvents) {
    Long spec = pod.getSpec().getTerminationGracePeriodSeconds();
    Duration grace = spec == null ? ctx.stopGrace() : Duration.ofSeconds(spec);
    if (grace.compareTo(ctx.stopGrace()) > 0) {
      grace = ctx.stopGrace();
    }
    for (var run : runs().toList()) {
      if (run.running()) {
        if (withEvents && !run.holdsSandboxOnly()) {
          event(run, EventRecorder.NORMAL, "Killing", "Stopping container " + run.name());
        }
        run.stop(grace);
      }
    }
  }

  private void event(ContainerRun run, String type, String reason, String message) {
    String field = (run.init ? "spec.initContainers{" : "spec.containers{") + run.name() + "}";
    ctx.events()
        .record(
            EventRecorder.ref(pod, field),
            new EventRecorder.Source("kubelet", node),
            type,
            reason,
            message);
  }

  static Instant earliest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isBefore(b) ? a : b;
  }
}
