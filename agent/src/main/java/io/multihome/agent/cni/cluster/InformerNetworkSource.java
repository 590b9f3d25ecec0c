package io.multihome.agent.cni.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.multihome.agent.cni.nad.Nad;
import io.multihome.agent.cni.nad.NetworkSource;
import io.multihome.agent.kube.ManagedFields;
import io.multihome.agent.kube.TransformingItemStore;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import io.multihome.api.read.MetaMaps;
import io.multihome.api.read.ReadReport;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * NADs from informer caches: one informer over all namespaces, or one per configured namespace (for
 * clusters where the agent may only read some). Answers never touch the API; before the first list
 * completed it says "unavailable" (CNI error 11, the runtime retries) rather than "not found".
 */
public final class InformerNetworkSource implements NetworkSource, AutoCloseable {

  private final Map<String, SharedIndexInformer<NetworkAttachmentDefinition>> byNamespace;
  private final SharedIndexInformer<NetworkAttachmentDefinition> all;

  private InformerNetworkSource(
      SharedIndexInformer<NetworkAttachmentDefinition> all,
      Map<String, SharedIndexInformer<NetworkAttachmentDefinition>> byNamespace) {
    this.all = all;
    this.byNamespace = byNamespace;
  }

  /**
   * @param namespaces empty: every namespace
   */
  public static InformerNetworkSource start(KubernetesClient client, List<String> namespaces) {
    var nads = client.resources(NetworkAttachmentDefinition.class);
    if (namespaces.isEmpty()) {
      return new InformerNetworkSource(
          started(nads.inAnyNamespace().runnableInformer(0)), Map.of());
    }
    var informers = new HashMap<String, SharedIndexInformer<NetworkAttachmentDefinition>>();
    for (String ns : namespaces) {
      informers.put(ns, started(nads.inNamespace(ns).runnableInformer(0)));
    }
    return new InformerNetworkSource(null, Map.copyOf(informers));
  }

  private static SharedIndexInformer<NetworkAttachmentDefinition> started(
      SharedIndexInformer<NetworkAttachmentDefinition> informer) {
    informer.itemStore(
        new TransformingItemStore<NetworkAttachmentDefinition>(ManagedFields::strip));
    informer.start();
    return informer;
  }

  @Override
  public Optional<Nad> find(String namespace, String name) {
    var informer = all != null ? all : byNamespace.get(namespace);
    if (informer == null) {
      return Optional.empty(); // not a namespace this agent serves NADs from
    }
    if (!informer.hasSynced()) {
      throw new SourceUnavailableException(
          "the NetworkAttachmentDefinition cache is not synced yet");
    }
    var nad = informer.getStore().getByKey(namespace + "/" + name);
    if (nad == null) {
      return Optional.empty();
    }
    var problems = ReadReport.of(nad).problemsUnder("spec");
    if (!problems.isEmpty()) {
      // Read leniently (an unreadable NAD must not stop the informer); used, never guessed at.
      // "Unavailable" makes the runtime retry, so a fixed NAD is picked up without a new pod.
      throw new SourceUnavailableException(
          "NetworkAttachmentDefinition "
              + namespace
              + "/"
              + name
              + " has fields that cannot be read: "
              + ReadReport.describe(problems));
    }
    return Optional.of(
        new Nad(
            namespace,
            name,
            nad.getSpec() == null ? null : nad.getSpec().getConfig(),
            MetaMaps.annotations(nad)));
  }

  public boolean hasSynced() {
    return all != null
        ? all.hasSynced()
        : byNamespace.values().stream().allMatch(i -> i.hasSynced());
  }

  @Override
  public void close() {
    if (all != null) {
      all.close();
    }
    byNamespace.values().forEach(SharedIndexInformer::close);
  }
}
