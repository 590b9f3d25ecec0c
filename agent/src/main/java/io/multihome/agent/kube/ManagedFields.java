package io.multihome.agent.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Informer transform: managedFields are often the largest part of an object and never read. */
public final class ManagedFields {

  private ManagedFields() {}

  public static <T extends HasMetadata> T strip(T object) {
    if (object.getMetadata() != null) {
      object.getMetadata().setManagedFields(null);
    }
    return object;
  }
}
