package io.multihome.controller.nad;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import io.multihome.api.read.ReadReport;
import io.multihome.controller.InvalidObjectEvents;
import java.time.Clock;

/**
 * Reports NADs with fields that cannot be read (a {@code spec.config} that is not a string): a
 * Warning event on the NAD naming the field. NADs have no status; the node agents, which read NADs
 * on every pod attachment, answer such a NAD with an error naming the same field. One reporter here
 * instead of one per node.
 */
public final class NadReadReconciler implements Reconciler<NetworkAttachmentDefinition> {
  public static final String NAME = "nad-read-check";

  private final InvalidObjectEvents events;

  public NadReadReconciler(Clock clock) {
    this.events = new InvalidObjectEvents(clock);
  }

  @Override
  public UpdateControl<NetworkAttachmentDefinition> reconcile(
      NetworkAttachmentDefinition nad, Context<NetworkAttachmentDefinition> context) {
    events.report(
        context.getClient(),
        nad,
        ReadReport.of(nad).problems(),
        "pods cannot attach to this network until it is fixed");
    return UpdateControl.noUpdate();
  }
}
