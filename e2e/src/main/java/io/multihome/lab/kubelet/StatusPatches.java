package io.multihome.lab.kubelet;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;

/**
 * Status written as the lab's kubelet and controllers write it: the whole {@code status} replaced
 * through the status subresource with a JSON patch, so no resourceVersion can conflict, and an
 * object deleted meanwhile is no error.
 */
final class StatusPatches {
  private StatusPatches() {}

  /** Replaces the status of {@code resource}; false when the object is gone (404). */
  static boolean replace(KubernetesClient client, Resource<?> resource, Object status) {
    var op = Map.of("op", "add", "path", "/status", "value", status);
    try {
      resource
          .subresource("status")
          .patch(
              PatchContext.of(PatchType.JSON),
              client.getKubernetesSerialization().asJson(List.of(op)));
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
      return false;
    }
  }

  /** As {@link #replace}, skipped when {@code status} serializes as the {@code held} one. */
  static void replaceIfChanged(
      KubernetesClient client, Resource<?> resource, Object held, Object status) {
    var serialization = client.getKubernetesSerialization();
    if (!serialization.asJson(status).equals(serialization.asJson(held))) {
      replace(client, resource, status);
    }
  }
}
