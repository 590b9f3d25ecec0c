package io.multihome.lab.kubelet;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code replicaset-controller}: keeps {@code spec.replicas} active pods made from the template
 * (named {@code <replicaset>-<5 random>}, controlled by the ReplicaSet), deleting the least useful
 * ones first (unbound, then pending, then not ready, then newest) when there are too many, and
 * reports replicas, ready and available counts in the status. Pods it created or deleted are
 * "expected" until the informer shows them, so a slow watch never makes it create twice.
 */
public final class ReplicaSetController implements AutoCloseable {
  private static final EventRecorder.Source SOURCE =
      new EventRecorder.Source("replicaset-controller", null);
  private static final Duration EXPECTATION_TTL = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final LabInformers informers;
  private final EventRecorder events;
  private final WorkQueue queue;
  private final Map<String, Expectations> expectations = new HashMap<>();

  /** Pod names created / deleted but not yet seen so by the informer. */
  private record Expectations(Set<String> creates, Set<String> deletes, Instant since) {}

  public ReplicaSetController(
      KubernetesClient client, LabInformers informers, EventRecorder events) {
    this.client = client;
    this.informers = informers;
    this.events = events;
    this.queue = WorkQueue.controller("lab-replicasets", this::reconcile);
    informers.replicaSets.addEventHandler(
        LabInformers.onAnyChange((ReplicaSet rs) -> queue.enqueue(Owners.key(rs))));
    informers.pods.addEventHandler(LabInformers.onControllerChange("ReplicaSet", queue::enqueue));
  }

  private void reconcile(String key) {
    ReplicaSet rs = informers.replicaSets.getStore().getByKey(key);
    if (rs == null || rs.getMetadata().getDeletionTimestamp() != null) {
      synchronized (expectations) {
        expectations.remove(key);
      }
      return;
    }
    String ns = rs.getMetadata().getNamespace();
    var observed =
        informers.pods.getStore().list().stream()
            .filter(p -> ns.equals(p.getMetadata().getNamespace()))
            .filter(p -> Owners.controlledBy(p, rs))
            .toList();
    var exp = settle(key, observed);
    var active =
        new ArrayList<>(
            observed.stream()
                .filter(Owners::active)
                .filter(p -> !exp.deletes().contains(p.getMetadata().getName()))
                .toList());
    int have = active.size() + exp.creates().size();
    int want = Objects.requireNonNullElse(rs.getSpec().getReplicas(), 1);
    if (have < want) {
      for (int i = have; i < want; i++) {
        create(rs, key);
      }
    } else if (have > want) {
      active.sort(deletionOrder());
      for (var pod : active.subList(0, Math.min(active.size(), have - want))) {
        delete(rs, key, pod);
      }
    }
    writeStatus(rs, observed);
  }

  /** Drops expectations the informer has met (or that are too old to wait for). */
  private Expectations settle(String key, List<Pod> observed) {
    synchronized (expectations) {
      var exp = expectations.get(key);
      if (exp == null || exp.since().plus(EXPECTATION_TTL).isBefore(Instant.now())) {
        exp = new Expectations(new HashSet<>(), new HashSet<>(), Instant.now());
        expectations.put(key, exp);
      }
      var names = observed.stream().map(p -> p.getMetadata().getName()).toList();
      exp.creates().removeAll(names);
      exp.deletes().retainAll(names);
      return new Expectations(Set.copyOf(exp.creates()), Set.copyOf(exp.deletes()), exp.since());
    }
  }

  private void expect(String key, String name, boolean create) {
    synchronized (expectations) {
      var exp =
          expectations.computeIfAbsent(
              key, k -> new Expectations(new HashSet<>(), new HashSet<>(), Instant.now()));
      (create ? exp.creates() : exp.deletes()).add(name);
    }
  }

  private void create(ReplicaSet rs, String key) {
    var template = rs.getSpec().getTemplate();
    String name = rs.getMetadata().getName() + "-" + PodTemplateHash.randomSuffix();
    var meta =
        new ObjectMetaBuilder(
                template.getMetadata() == null
                    ? new ObjectMetaBuilder().build()
                    : template.getMetadata())
            .withName(name)
            .withNamespace(rs.getMetadata().getNamespace())
            .withOwnerReferences(Owners.controllerRef(rs))
            .withResourceVersion(null)
            .withUid(null)
            .build();
    Pod pod = new PodBuilder().withMetadata(meta).withSpec(template.getSpec()).build();
    expect(key, name, true);
    try {
      client.pods().inNamespace(rs.getMetadata().getNamespace()).resource(pod).create();
    } catch (KubernetesClientException e) {
      synchronized (expectations) {
        var exp = expectations.get(key);
        if (exp != null) {
          exp.creates().remove(name);
        }
      }
      events.record(
          rs, SOURCE, EventRecorder.WARNING, "FailedCreate", "Error creating: " + e.getMessage());
      throw e;
    }
    events.record(rs, SOURCE, EventRecorder.NORMAL, "SuccessfulCreate", "Created pod: " + name);
  }

  private void delete(ReplicaSet rs, String key, Pod pod) {
    String name = pod.getMetadata().getName();
    expect(key, name, false);
    client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(name).delete();
    events.record(rs, SOURCE, EventRecorder.NORMAL, "SuccessfulDelete", "Deleted pod: " + name);
  }

  /** Unbound before bound, Pending before Running, not ready before ready, newer before older. */
  private static Comparator<Pod> deletionOrder() {
    Comparator<Pod> unbound = Comparator.comparing(p -> p.getSpec().getNodeName() != null);
    Comparator<Pod> running =
        Comparator.comparing(
            p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
    Comparator<Pod> ready = Comparator.comparing(p -> Owners.ready(p).isPresent());
    Comparator<Pod> newer =
        Comparator.comparing(
                (Pod p) -> Objects.requireNonNullElse(p.getMetadata().getCreationTimestamp(), ""))
            .reversed();
    return unbound.thenComparing(running).thenComparing(ready).thenComparing(newer);
  }

  private void writeStatus(ReplicaSet rs, List<Pod> observed) {
    var now = Instant.now();
    int minReady = Objects.requireNonNullElse(rs.getSpec().getMinReadySeconds(), 0);
    var active = observed.stream().filter(Owners::active).toList();
    var templateLabels =
        rs.getSpec().getTemplate().getMetadata() == null
            ? Map.<String, String>of()
            : Objects.requireNonNullElse(
                rs.getSpec().getTemplate().getMetadata().getLabels(), Map.<String, String>of());
    var status = new ReplicaSetStatus();
    status.setReplicas(active.size());
    status.setFullyLabeledReplicas(
        (int)
            active.stream()
                .filter(
                    p ->
                        p.getMetadata().getLabels() != null
                            && p.getMetadata()
                                .getLabels()
                                .entrySet()
                                .containsAll(templateLabels.entrySet()))
                .count());
    status.setReadyReplicas((int) active.stream().filter(p -> Owners.ready(p).isPresent()).count());
    status.setAvailableReplicas(
        (int)
            active.stream()
                .filter(p -> Owners.available(p, Duration.ofSeconds(minReady), now))
                .count());
    status.setObservedGeneration(rs.getMetadata().getGeneration());
    if (minReady > 0 && status.getAvailableReplicas() < status.getReadyReplicas()) {
      queue.enqueueAfter(Owners.key(rs), Duration.ofSeconds(1));
    }
    StatusPatches.replaceIfChanged(
        client,
        client
            .apps()
            .replicaSets()
            .inNamespace(rs.getMetadata().getNamespace())
            .withName(rs.getMetadata().getName()),
        rs.getStatus(),
        status);
  }

  @Override
  public void close() {
    queue.close();
  }
}
