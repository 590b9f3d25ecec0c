package io.multihome.lab.kubelet;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The lab's {@code default-scheduler}: binds every pod without {@code spec.nodeName} (and without
 * another {@code schedulerName}) to a node that passes {@link NodeFit}, spreading a workload's pods
 * over nodes; a pod no node can take stays Pending with a {@code FailedScheduling} event and a
 * {@code PodScheduled=False} condition ({@code Unschedulable}) carrying the scheduler's message,
 * and is tried again whenever a node or a pod changes. One decision at a time, with bindings it
 * made counted before the informer shows them (the scheduler's "assumed" pods).
 */
public final class LabScheduler implements AutoCloseable {
  public static final String NAME = "default-scheduler";
  private static final EventRecorder.Source SOURCE = new EventRecorder.Source(NAME, null);

  private final KubernetesClient client;
  private final LabInformers informers;
  private final EventRecorder events;
  private final WorkQueue queue;
  private final Set<String> unschedulable = new HashSet<>();
  private final Map<String, String> assumed = new HashMap<>();

  public LabScheduler(KubernetesClient client, LabInformers informers, EventRecorder events) {
    this.client = client;
    this.informers = informers;
    this.events = events;
    this.queue = WorkQueue.controller("lab-scheduler", this::schedule);
    informers.pods.addEventHandler(LabInformers.onAnyChange(this::podChanged));
    informers.nodes.addEventHandler(LabInformers.onAnyChange((Node n) -> retryUnschedulable()));
  }

  private void podChanged(Pod pod) {
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (node == null || node.isEmpty()) {
      queue.enqueue(Owners.key(pod));
      return;
    }
    synchronized (assumed) {
      assumed.remove(pod.getMetadata().getUid());
    }
    // A bound pod changing (deleted, finished) may free room for a waiting one.
    retryUnschedulable();
  }

  private void retryUnschedulable() {
    List<String> keys;
    synchronized (unschedulable) {
      keys = new ArrayList<>(unschedulable);
    }
    keys.forEach(queue::enqueue);
  }

  private void schedule(String key) {
    Pod pod = informers.pods.getStore().getByKey(key);
    if (pod == null
        || pod.getMetadata().getDeletionTimestamp() != null
        || (pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty())
        || !NAME.equals(Objects.requireNonNullElse(pod.getSpec().getSchedulerName(), NAME))) {
      synchronized (unschedulable) {
        unschedulable.remove(key);
      }
      return;
    }
    var nodes = new ArrayList<>(informers.nodes.getStore().list());
    nodes.sort(Comparator.comparing(n -> n.getMetadata().getName()));
    var byNode = boundPods();
    var reasons = new TreeMap<String, Integer>();
    var feasible = new ArrayList<Node>();
    for (var node : nodes) {
      var why =
          NodeFit.reasons(pod, node, byNode.getOrDefault(node.getMetadata().getName(), List.of()));
      if (why.isEmpty()) {
        feasible.add(node);
      }
      why.forEach(r -> reasons.merge(r, 1, Integer::sum));
    }
    if (feasible.isEmpty()) {
      unschedulableNow(pod, key, NodeFit.fitError(nodes.size(), reasons));
      return;
    }
    String owner = ownerUid(pod);
    feasible.sort(
        Comparator.comparingLong(
                (Node n) ->
                    byNode.getOrDefault(n.getMetadata().getName(), List.of()).stream()
                        .filter(p -> owner != null && owner.equals(ownerUid(p)))
                        .count())
            .thenComparingInt(n -> byNode.getOrDefault(n.getMetadata().getName(), List.of()).size())
            .thenComparing(n -> n.getMetadata().getName()));
    bind(pod, key, feasible.get(0).getMetadata().getName());
  }

  /** Pods that hold a node's resources: bound (or being bound by us), not finished. */
  private Map<String, List<Pod>> boundPods() {
    var byNode = new HashMap<String, List<Pod>>();
    Map<String, String> assumedNow;
    synchronized (assumed) {
      assumedNow = Map.copyOf(assumed);
    }
    for (var p : informers.pods.getStore().list()) {
      String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
      if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
        continue;
      }
      String node = p.getSpec().getNodeName();
      if (node == null || node.isEmpty()) {
        node = assumedNow.get(p.getMetadata().getUid());
      }
      if (node != null && !node.isEmpty()) {
        byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(p);
      }
    }
    return byNode;
  }

  private static String ownerUid(Pod p) {
    List<OwnerReference> refs = p.getMetadata().getOwnerReferences();
    return refs == null || refs.isEmpty() ? null : refs.get(0).getUid();
  }

  private void unschedulableNow(Pod pod, String key, String message) {
    synchronized (unschedulable) {
      unschedulable.add(key);
    }
    events.record(pod, SOURCE, EventRecorder.WARNING, "FailedScheduling", message);
    var current = podScheduled(pod);
    if (current != null
        && "False".equals(current.getStatus())
        && message.equals(current.getMessage())) {
      return;
    }
    var condition =
        new PodConditionBuilder()
            .withType("PodScheduled")
            .withStatus("False")
            .withReason("Unschedulable")
            .withMessage(message)
            .withLastTransitionTime(
                current != null && "False".equals(current.getStatus())
                    ? current.getLastTransitionTime()
                    : ApiTime.now())
            .build();
    var status = new LinkedHashMap<String, Object>();
    status.put("phase", "Pending");
    status.put("conditions", withCondition(pod, condition));
    patch(pod, PatchContext.of(PatchType.JSON_MERGE), Map.of("status", status), true);
  }

  private void bind(Pod pod, String key, String node) {
    var m = pod.getMetadata();
    // The scheduler's write is a Binding (the API server sets spec.nodeName and PodScheduled);
    // the pod's UID as precondition: a pod deleted and re-created meanwhile is looked at again.
    var binding =
        new BindingBuilder()
            .withNewMetadata()
            .withName(m.getName())
            .withNamespace(m.getNamespace())
            .withUid(m.getUid())
            .endMetadata()
            .withNewTarget()
            .withKind("Node")
            .withApiVersion("v1")
            .withName(node)
            .endTarget()
            .build();
    synchronized (assumed) {
      assumed.put(m.getUid(), node);
    }
    try {
      client.bindings().inNamespace(m.getNamespace()).resource(binding).create();
    } catch (KubernetesClientException e) {
      synchronized (assumed) {
        assumed.remove(m.getUid());
      }
      if (e.getCode() == 404 || e.getCode() == 409) {
        return;
      }
      throw e;
    }
    synchronized (unschedulable) {
      unschedulable.remove(key);
    }
    events.record(
        pod,
        SOURCE,
        EventRecorder.NORMAL,
        "Scheduled",
        "Successfully assigned " + m.getNamespace() + "/" + m.getName() + " to " + node);
  }

  private static PodCondition podScheduled(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return null;
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> "PodScheduled".equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  private static List<PodCondition> withCondition(Pod pod, PodCondition condition) {
    var out = new ArrayList<PodCondition>();
    if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
      pod.getStatus().getConditions().stream()
          .filter(c -> !condition.getType().equals(c.getType()))
          .forEach(out::add);
    }
    out.add(condition);
    return out;
  }

  private void patch(Pod pod, PatchContext how, Object body, boolean status) {
    var m = pod.getMetadata();
    var resource = client.pods().inNamespace(m.getNamespace()).withName(m.getName());
    String json = client.getKubernetesSerialization().asJson(body);
    try {
      if (status) {
        resource.subresource("status").patch(how, json);
      } else {
        resource.patch(how, json);
      }
    } catch (KubernetesClientException e) {
      if (status && e.getCode() == 404) {
        return;
      }
      throw e;
    }
  }

  @Override
  public void close() {
    queue.close();
  }
}
