package io.multihome.controller.nncp;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches every NNCE change and, after each one, counts per policy the nodes that are unavailable
 * for the newest generation (granted and not Available). The maximum ever seen is what the
 * maxUnavailable tests assert on.
 */
final class RolloutObserver implements AutoCloseable {
  private final Map<String, NodeNetworkConfigurationEnactment> store = new ConcurrentHashMap<>();
  private final Map<String, Integer> maxUnavailable = new ConcurrentHashMap<>();
  private final SharedIndexInformer<NodeNetworkConfigurationEnactment> informer;
  private volatile int events;

  RolloutObserver(KubernetesClient client) {
    informer =
        client
            .resources(NodeNetworkConfigurationEnactment.class)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(NodeNetworkConfigurationEnactment n) {
                    seen(n, false);
                  }

                  @Override
                  public void onUpdate(
                      NodeNetworkConfigurationEnactment o, NodeNetworkConfigurationEnactment n) {
                    seen(n, false);
                  }

                  @Override
                  public void onDelete(NodeNetworkConfigurationEnactment n, boolean unknown) {
                    seen(n, true);
                  }
                });
  }

  private synchronized void seen(NodeNetworkConfigurationEnactment n, boolean deleted) {
    events++;
    if (deleted) {
      store.remove(n.getMetadata().getName());
    } else {
      store.put(n.getMetadata().getName(), n);
    }
    var policy = n.getMetadata().getLabels().get("nmstate.io/policy");
    var mine =
        store.values().stream()
            .filter(x -> policy.equals(x.getMetadata().getLabels().get("nmstate.io/policy")))
            .filter(x -> x.getStatus() != null && x.getStatus().getPolicyGeneration() != null)
            .toList();
    long newest = mine.stream().mapToLong(x -> x.getStatus().getPolicyGeneration()).max().orElse(0);
    int unavailable =
        (int)
            mine.stream()
                .filter(x -> x.getStatus().getPolicyGeneration() == newest)
                .map(x -> EnactmentPhase.of(x, newest))
                .filter(EnactmentPhase::isUnavailable)
                .count();
    maxUnavailable.merge(policy, unavailable, Math::max);
  }

  synchronized int maxUnavailable(String policy) {
    return maxUnavailable.getOrDefault(policy, 0);
  }

  int events() {
    return events;
  }

  @Override
  public void close() {
    informer.close();
  }
}
