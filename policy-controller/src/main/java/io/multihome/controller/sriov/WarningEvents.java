package io.multihome.controller.sriov;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.multihome.api.events.WarningEventWriter;
import java.time.Clock;

/**
 * The SR-IOV controller's Warning events on a resource ({@code kubectl describe} shows them).
 * Callers emit only when what they report changed, so a resource that stays bad does not flood the
 * event log.
 */
public final class WarningEvents {
  public static final String COMPONENT = "multihome-sriov-controller";

  private final WarningEventWriter writer;

  public WarningEvents(KubernetesClient client, Clock clock) {
    this.writer = new WarningEventWriter(client, COMPONENT, null, clock);
  }

  /** Best effort: an event that cannot be written must not fail the reconcile it explains. */
  public void warn(HasMetadata about, String reason, String message) {
    writer.warn(about, reason, message);
  }
}
