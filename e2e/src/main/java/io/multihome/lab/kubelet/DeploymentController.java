package io.multihome.lab.kubelet;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code deployment-controller}: one ReplicaSet per pod template ({@code
 * <deployment>-<pod-template-hash>}, the hash added to its labels, selector and template, a
 * revision annotation), the current template's ReplicaSet scaled to {@code spec.replicas} and the
 * older ones to zero — by rolling update within {@code maxSurge}/{@code maxUnavailable}, or all old
 * pods first with {@code Recreate} — old ReplicaSets beyond {@code revisionHistoryLimit} deleted,
 * and the Deployment's status ({@link DeploymentStatusBuilder}) written.
 */
public final class DeploymentController implements AutoCloseable {
  static final String REVISION = "deployment.kubernetes.io/revision";
  static final String DESIRED = "deployment.kubernetes.io/desired-replicas";
  static final String MAX = "deployment.kubernetes.io/max-replicas";
  private static final EventRecorder.Source SOURCE =
      new EventRecorder.Source("deployment-controller", null);

  private final KubernetesClient client;
  private final LabInformers informers;
  private final EventRecorder events;
  private final WorkQueue queue;

  public DeploymentController(
      KubernetesClient client, LabInformers informers, EventRecorder events) {
    this.client = client;
    this.informers = informers;
    this.events = events;
    this.queue = WorkQueue.controller("lab-deployments", this::reconcile);
    informers.deployments.addEventHandler(
        LabInformers.onAnyChange((Deployment d) -> queue.enqueue(Owners.key(d))));
    informers.replicaSets.addEventHandler(
        LabInformers.onControllerChange("Deployment", queue::enqueue));
  }

  private void reconcile(String key) {
    Deployment d = informers.deployments.getStore().getByKey(key);
    if (d == null || d.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    String ns = d.getMetadata().getNamespace();
    var owned =
        new ArrayList<>(
            informers.replicaSets.getStore().list().stream()
                .filter(rs -> ns.equals(rs.getMetadata().getNamespace()))
                .filter(rs -> Owners.controlledBy(rs, d))
                .toList());
    owned.sort(Comparator.comparingLong(DeploymentController::revision));
    String hash =
        PodTemplateHash.of(
            d.getSpec().getTemplate(),
            d.getStatus() == null ? null : d.getStatus().getCollisionCount());
    Optional<ReplicaSet> current =
        owned.stream()
            .filter(
                rs -> hash.equals(labels(rs.getMetadata().getLabels()).get(PodTemplateHash.LABEL)))
            .findFirst();
    var olds = new ArrayList<>(owned);
    current.ifPresent(olds::remove);
    int replicas = Objects.requireNonNullElse(d.getSpec().getReplicas(), 1);
    boolean created = current.isEmpty();
    ReplicaSet newRs = current.orElseGet(() -> createReplicaSet(d, hash, owned));
    if (d.getSpec().getPaused() == null || !d.getSpec().getPaused()) {
      if (isRecreate(d)) {
        recreate(d, newRs, olds, replicas);
      } else {
        rollingUpdate(d, newRs, olds, replicas);
      }
      cleanup(d, olds);
    }
    var status = DeploymentStatusBuilder.build(d, newRs, olds, replicas, created);
    writeStatus(d, status);
    if (!DeploymentStatusBuilder.complete(d, status, replicas)) {
      // Progress deadline and minReadySeconds are time-based: look again without an event.
      queue.enqueueAfter(key, Duration.ofSeconds(5));
    }
  }

  private static boolean isRecreate(Deployment d) {
    return d.getSpec().getStrategy() != null
        && "Recreate".equals(d.getSpec().getStrategy().getType());
  }

  private void rollingUpdate(Deployment d, ReplicaSet newRs, List<ReplicaSet> olds, int replicas) {
    var ru =
        d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
    int[] limits =
        Rollout.limits(
            ru == null ? null : ru.getMaxSurge(),
            ru == null ? null : ru.getMaxUnavailable(),
            replicas);
    int all =
        specReplicas(newRs) + olds.stream().mapToInt(DeploymentController::specReplicas).sum();
    int target =
        olds.stream().allMatch(rs -> specReplicas(rs) == 0)
            ? replicas
            : Rollout.newReplicas(replicas, limits[0], specReplicas(newRs), all);
    scale(d, newRs, target);
    var oldNumbers =
        olds.stream().map(rs -> new Rollout.Rs(specReplicas(rs), available(rs))).toList();
    var newNumbers = new Rollout.Rs(target, available(newRs));
    var after = Rollout.scaleDownOlds(replicas, limits[1], newNumbers, oldNumbers);
    for (int i = 0; i < olds.size(); i++) {
      scale(d, olds.get(i), after.get(i));
    }
  }

  /** Recreate: every old pod gone before the new ReplicaSet grows. */
  private void recreate(Deployment d, ReplicaSet newRs, List<ReplicaSet> olds, int replicas) {
    olds.forEach(rs -> scale(d, rs, 0));
    boolean oldPodsLeft =
        olds.stream()
            .anyMatch(rs -> rs.getStatus() != null && nz(rs.getStatus().getReplicas()) > 0);
    if (!oldPodsLeft) {
      scale(d, newRs, replicas);
    }
  }

  /** Old ReplicaSets without replicas beyond {@code revisionHistoryLimit} (default 10) go. */
  private void cleanup(Deployment d, List<ReplicaSet> olds) {
    int limit = Objects.requireNonNullElse(d.getSpec().getRevisionHistoryLimit(), 10);
    var idle =
        olds.stream()
            .filter(
                rs ->
                    specReplicas(rs) == 0
                        && (rs.getStatus() == null || nz(rs.getStatus().getReplicas()) == 0))
            .toList();
    for (int i = 0; i < idle.size() - limit; i++) {
      var rs = idle.get(i);
      client
          .apps()
          .replicaSets()
          .inNamespace(rs.getMetadata().getNamespace())
          .withName(rs.getMetadata().getName())
          .delete();
    }
  }

  private ReplicaSet createReplicaSet(Deployment d, String hash, List<ReplicaSet> owned) {
    long revision = owned.stream().mapToLong(DeploymentController::revision).max().orElse(0) + 1;
    var t = d.getSpec().getTemplate();
    var labels =
        new LinkedHashMap<>(labels(t.getMetadata() == null ? null : t.getMetadata().getLabels()));
    labels.put(PodTemplateHash.LABEL, hash);
    PodTemplateSpec template =
        new PodTemplateSpecBuilder(t)
            .withMetadata(
                new ObjectMetaBuilder(
                        t.getMetadata() == null ? new ObjectMetaBuilder().build() : t.getMetadata())
                    .withLabels(labels)
                    .build())
            .build();
    var selector =
        new LabelSelectorBuilder(d.getSpec().getSelector())
            .addToMatchLabels(PodTemplateHash.LABEL, hash)
            .build();
    int replicas = Objects.requireNonNullElse(d.getSpec().getReplicas(), 1);
    var annotations = new LinkedHashMap<String, String>();
    annotations.put(REVISION, Long.toString(revision));
    annotations.put(DESIRED, Integer.toString(replicas));
    annotations.put(MAX, Integer.toString(replicas + maxSurge(d, replicas)));
    String name = d.getMetadata().getName() + "-" + hash;
    var rs =
        new ReplicaSetBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(d.getMetadata().getNamespace())
            .withLabels(labels)
            .withAnnotations(annotations)
            .withOwnerReferences(Owners.controllerRef(d))
            .endMetadata()
            .withNewSpec()
            .withReplicas(0)
            .withMinReadySeconds(d.getSpec().getMinReadySeconds())
            .withSelector(selector)
            .withTemplate(template)
            .endSpec()
            .build();
    var made =
        client
            .apps()
            .replicaSets()
            .inNamespace(d.getMetadata().getNamespace())
            .resource(rs)
            .create();
    annotate(d, REVISION, Long.toString(revision));
    return made;
  }

  private int maxSurge(Deployment d, int replicas) {
    var ru =
        d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
    return isRecreate(d)
        ? 0
        : Rollout.limits(
            ru == null ? null : ru.getMaxSurge(),
            ru == null ? null : ru.getMaxUnavailable(),
            replicas)[0];
  }

  private void scale(Deployment d, ReplicaSet rs, int replicas) {
    int from = specReplicas(rs);
    if (from == replicas) {
      return;
    }
    var annotations = new HashMap<String, String>();
    annotations.put(DESIRED, Integer.toString(nz(d.getSpec().getReplicas(), 1)));
    var patch =
        Map.of(
            "metadata", Map.of("annotations", annotations),
            "spec", Map.of("replicas", replicas));
    client
        .apps()
        .replicaSets()
        .inNamespace(rs.getMetadata().getNamespace())
        .withName(rs.getMetadata().getName())
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            client.getKubernetesSerialization().asJson(patch));
    events.record(
        d,
        SOURCE,
        EventRecorder.NORMAL,
        "ScalingReplicaSet",
        "Scaled "
            + (replicas > from ? "up" : "down")
            + " replica set "
            + rs.getMetadata().getName()
            + " from "
            + from
            + " to "
            + replicas);
  }

  private void annotate(Deployment d, String key, String value) {
    var patch = Map.of("metadata", Map.of("annotations", Map.of(key, value)));
    client
        .apps()
        .deployments()
        .inNamespace(d.getMetadata().getNamespace())
        .withName(d.getMetadata().getName())
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            client.getKubernetesSerialization().asJson(patch));
  }

  private void writeStatus(
      Deployment d, io.fabric8.kubernetes.api.model.apps.DeploymentStatus status) {
    StatusPatches.replaceIfChanged(
        client,
        client
            .apps()
            .deployments()
            .inNamespace(d.getMetadata().getNamespace())
            .withName(d.getMetadata().getName()),
        d.getStatus(),
        status);
  }

  static long revision(ReplicaSet rs) {
    try {
      return Long.parseLong(labels(rs.getMetadata().getAnnotations()).getOrDefault(REVISION, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static int specReplicas(ReplicaSet rs) {
    return nz(rs.getSpec().getReplicas(), 1);
  }

  static int available(ReplicaSet rs) {
    return rs.getStatus() == null ? 0 : nz(rs.getStatus().getAvailableReplicas());
  }

  static int nz(Integer i) {
    return i == null ? 0 : i;
  }

  static int nz(Integer i, int otherwise) {
    return i == null ? otherwise : i;
  }

  private static Map<String, String> labels(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }

  @Override
  public void close() {
    queue.close();
  }
}
