package io.multihome.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.Cloner;
import io.multihome.api.read.LenientlyRead;

/**
 * JOSDK hands reconcilers a copy of the primary made by serializing it. A value the lenient reader
 * could not take was never in the object, so the copy would look valid: its {@link
 * io.multihome.api.read.ReadReport} is copied over from the original.
 */
public final class ReportKeepingCloner implements Cloner {
  private final KubernetesSerialization serialization;

  public ReportKeepingCloner(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  @Override
  public <R extends HasMetadata> R clone(R object) {
    return LenientlyRead.copyReport(object, serialization.clone(object));
  }
}
