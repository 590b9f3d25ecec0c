package io.multihome.controller.webhook;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import java.util.Map;
import java.util.Optional;

/**
 * NAD annotations from an informer over every namespace (upstream keeps the same cache), with a GET
 * on a miss: a NAD created a moment before its pod may not have reached the cache yet.
 */
final class InformerNadLookup implements NadLookup, AutoCloseable {
  private final KubernetesClient client;
  private final SharedIndexInformer<NetworkAttachmentDefinition> informer;

  InformerNadLookup(KubernetesClient client) {
    this.client = client;
    this.informer =
        client.resources(NetworkAttachmentDefinition.class).inAnyNamespace().runnableInformer(0);
    informer.start();
  }

  boolean synced() {
    return informer.hasSynced();
  }

  @Override
  public Optional<Map<String, String>> annotations(String namespace, String name) {
    var nad = informer.getStore().getByKey(namespace + "/" + name);
    if (nad == null) {
      try {
        nad =
            client
                .resources(NetworkAttachmentDefinition.class)
                .inNamespace(namespace)
                .withName(name)
                .get();
      } catch (KubernetesClientException e) {
        // Treated as missing, as upstream does: the denial names the NAD.
        nad = null;
      }
    }
    if (nad == null) {
      return Optional.empty();
    }
    var annotations = nad.getMetadata().getAnnotations();
    return Optional.of(annotations == null ? Map.of() : annotations);
  }

  @Override
  public void close() {
    informer.close();
  }
}
