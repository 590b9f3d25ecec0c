package io.multihome.lab.kubelet;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;

/**
 * The garbage collector for what the lab's controllers own: a ReplicaSet whose owning Deployment is
 * gone, and a pod whose owning ReplicaSet is gone, are deleted (background propagation, what {@code
 * kubectl delete} asks for). Owners of other kinds are left to whoever runs them; an object is kept
 * while any of its owners exists.
 */
public final class GarbageCollector implements AutoCloseable {
  private static final String BY_OWNER = "owner-uid";
  private static final String POD = "pod:";
  private static final String RS = "rs:";

  private final KubernetesClient client;
  private final LabInformers informers;
  private final WorkQueue queue;

  /** Adds the owner indexes to {@code informers}: call before they start. */
  public GarbageCollector(KubernetesClient client, LabInformers informers) {
    this.client = client;
    this.informers = informers;
    this.queue = WorkQueue.controller("lab-gc", this::collect);
    informers.pods.addIndexers(Map.of(BY_OWNER, Owners::ownerUids));
    informers.replicaSets.addIndexers(Map.of(BY_OWNER, Owners::ownerUids));
    informers.pods.addEventHandler(
        LabInformers.onAnyChange((Pod p) -> queue.enqueue(POD + Owners.key(p))));
    informers.replicaSets.addEventHandler(
        LabInformers.onAnyChange(
            (ReplicaSet rs) -> {
              queue.enqueue(RS + Owners.key(rs));
              dependentsOf(rs.getMetadata().getUid(), informers.pods, POD);
            }));
    informers.deployments.addEventHandler(
        LabInformers.onAnyChange(
            (Deployment d) -> dependentsOf(d.getMetadata().getUid(), informers.replicaSets, RS)));
  }

  private void dependentsOf(
      String uid, SharedIndexInformer<? extends HasMetadata> informer, String kind) {
    informer.getIndexer().byIndex(BY_OWNER, uid).forEach(o -> queue.enqueue(kind + Owners.key(o)));
  }

  private void collect(String key) {
    if (key.startsWith(POD)) {
      String k = key.substring(POD.length());
      Pod pod = informers.pods.getStore().getByKey(k);
      if (pod != null && orphaned(pod)) {
        client
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .delete();
      }
    } else {
      String k = key.substring(RS.length());
      ReplicaSet rs = informers.replicaSets.getStore().getByKey(k);
      if (rs != null && orphaned(rs)) {
        client
            .apps()
            .replicaSets()
            .inNamespace(rs.getMetadata().getNamespace())
            .withName(rs.getMetadata().getName())
            .delete();
      }
    }
  }

  /** True when the object has owners and every one is a known kind that no longer exists. */
  private boolean orphaned(HasMetadata obj) {
    List<OwnerReference> refs = obj.getMetadata().getOwnerReferences();
    if (refs == null || refs.isEmpty()) {
      return false;
    }
    String ns = obj.getMetadata().getNamespace();
    for (var ref : refs) {
      HasMetadata owner =
          switch (ref.getKind()) {
            case "ReplicaSet" ->
                informers.replicaSets.getStore().getByKey(ns + "/" + ref.getName());
            case "Deployment" ->
                informers.deployments.getStore().getByKey(ns + "/" + ref.getName());
            default -> null;
          };
      boolean known = ref.getKind().equals("ReplicaSet") || ref.getKind().equals("Deployment");
      if (!known || (owner != null && owner.getMetadata().getUid().equals(ref.getUid()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    queue.close();
  }
}
