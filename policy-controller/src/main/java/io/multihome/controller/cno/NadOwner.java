package io.multihome.controller.cno;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import io.multihome.api.openshift.Network;

/**
 * Ownership as the CNO marks it ({@code controllerutil.SetControllerReference}): a controller owner
 * reference to the Network {@code cluster}, which also lets the garbage collector remove the NADs
 * with the Network. A NAD without it was not rendered here and is never changed or deleted.
 */
final class NadOwner {
  static final String API_VERSION = Network.GROUP + "/v1";

  private NadOwner() {}

  static OwnerReference reference(Network network) {
    return new OwnerReferenceBuilder()
        .withApiVersion(API_VERSION)
        .withKind("Network")
        .withName(network.getMetadata().getName())
        .withUid(network.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** Rendered from the Network {@code cluster} (any incarnation of it: the uid is not compared). */
  static boolean ownedByCluster(NetworkAttachmentDefinition nad) {
    return nad.getMetadata().getOwnerReferences().stream()
        .anyMatch(
            o ->
                Boolean.TRUE.equals(o.getController())
                    && "Network".equals(o.getKind())
                    && o.getApiVersion() != null
                    && o.getApiVersion().startsWith(Network.GROUP + "/")
                    && Network.CLUSTER.equals(o.getName()));
  }
}
