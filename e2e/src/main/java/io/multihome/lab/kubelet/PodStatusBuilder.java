package io.multihome.lab.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A pod's status as the kubelet computes it from what it knows (sandbox, containers, admission):
 * phase by the kubelet's rules, the five conditions in the kubelet's order with their reasons and
 * messages, addresses, QoS class. Conditions keep their {@code lastTransitionTime} while their
 * status does not change.
 */
final class PodStatusBuilder {
  /** What the kubelet knows about one pod. */
  record Facts(
      String hostIp,
      List<String> podIps,
      boolean sandboxReady,
      Instant startTime,
      String failedReason,
      String failedMessage,
      List<ContainerStatus> init,
      List<ContainerStatus> main) {}

  private PodStatusBuilder() {}

  static PodStatus build(Pod pod, Facts f, Instant now) {
    String restartPolicy =
        Objects.requireNonNullElse(pod.getSpec().getRestartPolicy(), "Always").toString();
    boolean initDone = f.init().stream().allMatch(PodStatusBuilder::succeeded);
    String phase = phase(f, restartPolicy, initDone);
    boolean done = phase.equals("Succeeded") || phase.equals("Failed");
    var previous =
        pod.getStatus() == null || pod.getStatus().getConditions() == null
            ? List.<PodCondition>of()
            : pod.getStatus().getConditions();
    var conditions = new ArrayList<PodCondition>();
    conditions.add(
        condition(previous, now, "PodReadyToStartContainers", f.sandboxReady(), null, null));
    var incomplete =
        f.init().stream().filter(s -> !succeeded(s)).map(ContainerStatus::getName).toList();
    conditions.add(
        condition(
            previous,
            now,
            "Initialized",
            initDone,
            done && !initDone ? "PodCompleted" : "ContainersNotInitialized",
            done ? null : "containers with incomplete status: " + names(incomplete)));
    var unready =
        f.main().stream()
            .filter(s -> !Boolean.TRUE.equals(s.getReady()))
            .map(ContainerStatus::getName)
            .toList();
    boolean ready = unready.isEmpty() && !f.main().isEmpty() && !done;
    String notReadyReason = done ? "PodCompleted" : "ContainersNotReady";
    String notReadyMessage = done ? null : "containers with unready status: " + names(unready);
    conditions.add(condition(previous, now, "Ready", ready, notReadyReason, notReadyMessage));
    conditions.add(
        condition(previous, now, "ContainersReady", ready, notReadyReason, notReadyMessage));
    conditions.add(condition(previous, now, "PodScheduled", true, null, null));

    var status = new PodStatus();
    status.setPhase(phase);
    status.setConditions(conditions);
    if (f.hostIp() != null) {
      status.setHostIP(f.hostIp());
      status.setHostIPs(List.of(new HostIP(f.hostIp())));
    }
    if (!f.podIps().isEmpty()) {
      status.setPodIP(f.podIps().get(0));
      status.setPodIPs(f.podIps().stream().map(PodIP::new).toList());
    }
    status.setStartTime(ApiTime.format(f.startTime()));
    status.setQosClass(qosClass(pod));
    if (f.failedReason() != null) {
      status.setReason(f.failedReason());
      status.setMessage(f.failedMessage());
    }
    if (!f.init().isEmpty()) {
      status.setInitContainerStatuses(f.init());
    }
    status.setContainerStatuses(f.main());
    return status;
  }

  /**
   * The kubelet's {@code getPhase}: any container not started yet keeps the pod Pending; a
   * restarting container counts as stopped.
   */
  static String phase(Facts f, String restartPolicy, boolean initDone) {
    if (f.failedReason() != null) {
      return "Failed";
    }
    if (!initDone) {
      boolean initFailed =
          f.init().stream().anyMatch(s -> s.getState().getTerminated() != null && !succeeded(s));
      return initFailed && restartPolicy.equals("Never") ? "Failed" : "Pending";
    }
    int running = 0;
    int waiting = 0;
    int stopped = 0;
    int succeeded = 0;
    for (var s : f.main()) {
      var state = s.getState();
      if (state.getRunning() != null) {
        running++;
      } else if (state.getTerminated() != null) {
        stopped++;
        if (state.getTerminated().getExitCode() == 0) {
          succeeded++;
        }
      } else if (s.getLastState() != null && s.getLastState().getTerminated() != null) {
        stopped++;
      } else {
        waiting++;
      }
    }
    if (waiting > 0 || f.main().isEmpty()) {
      return "Pending";
    }
    if (running > 0) {
      return "Running";
    }
    if (restartPolicy.equals("Always")) {
      return "Running";
    }
    if (stopped == succeeded) {
      return "Succeeded";
    }
    return restartPolicy.equals("Never") ? "Failed" : "Running";
  }

  private static boolean succeeded(ContainerStatus s) {
    var t = s.getState() == null ? null : s.getState().getTerminated();
    return t != null && t.getExitCode() == 0;
  }

  private static String names(List<String> names) {
    return "[" + String.join(" ", names) + "]";
  }

  private static PodCondition condition(
      List<PodCondition> previous,
      Instant now,
      String type,
      boolean isTrue,
      String reason,
      String message) {
    String status = isTrue ? "True" : "False";
    String since =
        previous.stream()
            .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
            .map(PodCondition::getLastTransitionTime)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(ApiTime.format(now));
    var b = new PodConditionBuilder().withType(type).withStatus(status);
    b.withLastProbeTime(null).withLastTransitionTime(since);
    if (!isTrue) {
      b.withReason(reason).withMessage(message);
    }
    return b.build();
  }

  /** The QoS class the API server would assign (Guaranteed, Burstable, BestEffort). */
  static String qosClass(Pod pod) {
    var containers =
        Stream.concat(
                pod.getSpec().getContainers().stream(),
                pod.getSpec().getInitContainers() == null
                    ? Stream.<Container>empty()
                    : pod.getSpec().getInitContainers().stream())
            .toList();
    boolean any = false;
    boolean guaranteed = true;
    for (var c : containers) {
      Map<String, Quantity> req =
          c.getResources() == null || c.getResources().getRequests() == null
              ? Map.of()
              : c.getResources().getRequests();
      Map<String, Quantity> lim =
          c.getResources() == null || c.getResources().getLimits() == null
              ? Map.of()
              : c.getResources().getLimits();
      for (String r : List.of("cpu", "memory")) {
        any |= req.containsKey(r) || lim.containsKey(r);
        Quantity l = lim.get(r);
        Quantity q = req.getOrDefault(r, l);
        if (l == null || q == null || Quantity.getAmountInBytes(q).compareTo(amount(l)) != 0) {
          guaranteed = false;
        }
      }
    }
    if (!any) {
      return "BestEffort";
    }
    return guaranteed ? "Guaranteed" : "Burstable";
  }

  private static java.math.BigDecimal amount(Quantity q) {
    return Quantity.getAmountInBytes(q);
  }
}
