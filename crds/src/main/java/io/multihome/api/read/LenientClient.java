package io.multihome.api.read;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * A client whose reads of the API's own kinds are lenient ({@link LenientSerialization}), for the
 * informers of a component. The processes build their client that way, so {@code given} is used as
 * it is; any other client (a test's mock client) is copied with the same configuration, and only
 * that copy is closed by {@link #close()}.
 */
public record LenientClient(KubernetesClient client, boolean owned) implements AutoCloseable {

  public static LenientClient of(KubernetesClient given) {
    if (isLenient(given)) {
      return new LenientClient(given, false);
    }
    return new LenientClient(
        new KubernetesClientBuilder()
            .withConfig(given.getConfiguration())
            .withKubernetesSerialization(new LenientSerialization())
            .build(),
        true);
  }

  public static boolean isLenient(KubernetesClient client) {
    return client.getKubernetesSerialization() instanceof LenientSerialization;
  }

  /** A builder of clients that read leniently (what the processes start with). */
  public static KubernetesClientBuilder builder() {
    return new KubernetesClientBuilder().withKubernetesSerialization(new LenientSerialization());
  }

  @Override
  public void close() {
    if (owned) {
      client.close();
    }
  }
}
