package io.multihome.lab.kubelet;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One informer per kind for all the lab's stand-ins (kubelet, scheduler, controllers), as a
 * controller-manager shares them: one watch per kind on the API, handlers and indexers added before
 * {@link #start}.
 */
public final class LabInformers implements AutoCloseable {
  final SharedIndexInformer<Pod> pods;
  final SharedIndexInformer<Node> nodes;
  final SharedIndexInformer<Deployment> deployments;
  final SharedIndexInformer<ReplicaSet> replicaSets;

  public LabInformers(KubernetesClient client) {
    pods = client.pods().inAnyNamespace().runnableInformer(0);
    nodes = client.nodes().runnableInformer(0);
    deployments = client.apps().deployments().inAnyNamespace().runnableInformer(0);
    replicaSets = client.apps().replicaSets().inAnyNamespace().runnableInformer(0);
  }

  private List<SharedIndexInformer<?>> all() {
    return List.of(nodes, pods, replicaSets, deployments);
  }

  /** Starts every informer and waits for their first lists. */
  public void start() throws InterruptedException {
    for (var informer : all()) {
      try {
        informer.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("informer did not sync: " + e, e);
      }
    }
  }

  @Override
  public void close() {
    all().forEach(SharedIndexInformer::close);
  }

  /**
   * A handler that, on any change of a dependent whose controller is of {@code ownerKind}, calls
   * {@code enqueue} with the owner's key ({@code namespace/name}, the dependent's namespace).
   */
  static <T extends HasMetadata> ResourceEventHandler<T> onControllerChange(
      String ownerKind, Consumer<String> enqueue) {
    return onAnyChange(
        (T obj) ->
            Owners.controllerOf(obj)
                .filter(r -> ownerKind.equals(r.getKind()))
                .ifPresent(
                    r -> enqueue.accept(obj.getMetadata().getNamespace() + "/" + r.getName())));
  }

  /** A handler that calls {@code onChange} with the object for adds, updates and deletes. */
  static <T> ResourceEventHandler<T> onAnyChange(Consumer<T> onChange) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        onChange.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        onChange.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        onChange.accept(obj);
      }
    };
  }
}
