package io.multihome.agent.cni.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Informer transform: managedFields are often the largest part of an object and never read. */
final class ManagedFields {

  private ManagedFields() {}

  static <T extends HasMetadata> T strip(T object) {
    if (object.getMetadata() != null) {
      object.getMetadata().setManagedFields(null);
    }
    return object;
  }
}
