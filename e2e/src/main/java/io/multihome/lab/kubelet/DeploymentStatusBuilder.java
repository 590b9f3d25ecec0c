package io.multihome.lab.kubelet;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A Deployment's status as the deployment controller reports it: pod counts summed over its
 * ReplicaSets ({@code updatedReplicas} from the current template's), {@code Available} (at least
 * {@code replicas - maxUnavailable} available) and {@code Progressing} with the controller's
 * reasons and messages ({@code NewReplicaSetCreated}, {@code ReplicaSetUpdated}, {@code
 * NewReplicaSetAvailable}, {@code ProgressDeadlineExceeded}); what {@code kubectl rollout status}
 * and {@code kubectl get deploy} read.
 */
final class DeploymentStatusBuilder {
  private DeploymentStatusBuilder() {}

  static DeploymentStatus build(
      Deployment d, ReplicaSet newRs, List<ReplicaSet> olds, int replicas, boolean created) {
    var all = Stream.concat(Stream.of(newRs), olds.stream()).toList();
    var s = new DeploymentStatus();
    s.setObservedGeneration(d.getMetadata().getGeneration());
    s.setReplicas(sum(all, rs -> rs.getStatus() == null ? null : rs.getStatus().getReplicas()));
    s.setUpdatedReplicas(newRs.getStatus() == null ? 0 : nz(newRs.getStatus().getReplicas()));
    s.setReadyReplicas(
        sum(all, rs -> rs.getStatus() == null ? null : rs.getStatus().getReadyReplicas()));
    s.setAvailableReplicas(
        sum(all, rs -> rs.getStatus() == null ? null : rs.getStatus().getAvailableReplicas()));
    int desiredAll = all.stream().mapToInt(DeploymentController::specReplicas).sum();
    s.setUnavailableReplicas(
        Math.max(0, Math.max(desiredAll, replicas) - s.getAvailableReplicas()));
    if (d.getStatus() != null) {
      s.setCollisionCount(d.getStatus().getCollisionCount());
    }
    var previous = d.getStatus() == null ? null : d.getStatus();
    var now = Instant.now();
    var ru =
        d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
    int maxUnavailable =
        "Recreate"
                .equals(
                    d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getType())
            ? replicas
            : Rollout.limits(
                ru == null ? null : ru.getMaxSurge(),
                ru == null ? null : ru.getMaxUnavailable(),
                replicas)[1];
    var conditions = new ArrayList<DeploymentCondition>();
    boolean available = s.getAvailableReplicas() >= replicas - maxUnavailable;
    conditions.add(
        condition(
            previous,
            now,
            "Available",
            available,
            available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
            available
                ? "Deployment has minimum availability."
                : "Deployment does not have minimum availability.",
            false));
    conditions.add(progressing(d, previous, s, newRs, replicas, created, now));
    s.setConditions(conditions);
    return s;
  }

  static boolean complete(Deployment d, DeploymentStatus s, int replicas) {
    return nz(s.getUpdatedReplicas()) == replicas
        && nz(s.getReplicas()) == replicas
        && nz(s.getAvailableReplicas()) == replicas;
  }

  private static DeploymentCondition progressing(
      Deployment d,
      DeploymentStatus previous,
      DeploymentStatus s,
      ReplicaSet newRs,
      int replicas,
      boolean created,
      Instant now) {
    String rs = newRs.getMetadata().getName();
    var before = find(previous, "Progressing");
    if (complete(d, s, replicas)) {
      return condition(
          previous,
          now,
          "Progressing",
          true,
          "NewReplicaSetAvailable",
          "ReplicaSet \"" + rs + "\" has successfully progressed.",
          !before.map(c -> "NewReplicaSetAvailable".equals(c.getReason())).orElse(false));
    }
    if (created) {
      return condition(
          previous,
          now,
          "Progressing",
          true,
          "NewReplicaSetCreated",
          "Created new replica set \"" + rs + "\"",
          true);
    }
    boolean moved =
        previous == null
            || !Objects.equals(previous.getReplicas(), s.getReplicas())
            || !Objects.equals(previous.getUpdatedReplicas(), s.getUpdatedReplicas())
            || !Objects.equals(previous.getAvailableReplicas(), s.getAvailableReplicas())
            || !Objects.equals(previous.getReadyReplicas(), s.getReadyReplicas());
    if (moved || before.isEmpty()) {
      return condition(
          previous,
          now,
          "Progressing",
          true,
          "ReplicaSetUpdated",
          "ReplicaSet \"" + rs + "\" is progressing.",
          true);
    }
    long deadline = Objects.requireNonNullElse(d.getSpec().getProgressDeadlineSeconds(), 600);
    Instant lastUpdate = ApiTime.parse(before.get().getLastUpdateTime(), now);
    if ("True".equals(before.get().getStatus()) && lastUpdate.plusSeconds(deadline).isBefore(now)) {
      return condition(
          previous,
          now,
          "Progressing",
          false,
          "ProgressDeadlineExceeded",
          "ReplicaSet \"" + rs + "\" has timed out progressing.",
          true);
    }
    return before.get();
  }

  /**
   * A condition keeping {@code lastTransitionTime} while its status holds, and {@code
   * lastUpdateTime} unless {@code touch} (progress) or its reason changed.
   */
  private static DeploymentCondition condition(
      DeploymentStatus previous,
      Instant now,
      String type,
      boolean isTrue,
      String reason,
      String message,
      boolean touch) {
    String status = isTrue ? "True" : "False";
    var before = find(previous, type);
    String transition =
        before
            .filter(c -> status.equals(c.getStatus()))
            .map(DeploymentCondition::getLastTransitionTime)
            .orElse(ApiTime.format(now));
    String update =
        before
            .filter(c -> !touch && status.equals(c.getStatus()) && reason.equals(c.getReason()))
            .map(DeploymentCondition::getLastUpdateTime)
            .orElse(ApiTime.format(now));
    return new DeploymentConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastUpdateTime(update)
        .withLastTransitionTime(transition)
        .build();
  }

  private static Optional<DeploymentCondition> find(DeploymentStatus s, String type) {
    if (s == null || s.getConditions() == null) {
      return Optional.empty();
    }
    return s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private static int sum(
      List<ReplicaSet> all, java.util.function.Function<ReplicaSet, Integer> field) {
    return all.stream().mapToInt(rs -> nz(field.apply(rs))).sum();
  }

  private static int nz(Integer i) {
    return i == null ? 0 : i;
  }
}
