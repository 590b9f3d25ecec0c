package io.multihome.controller.nad;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import io.multihome.api.sriov.SriovNetwork;
import io.multihome.api.sriov.SriovNetworkNodePolicy;
import io.multihome.sriov.render.NadRenderer;
import java.util.Map;
import java.util.Optional;

/**
 * Which SriovNetwork a NAD belongs to, read from upstream's owner annotation ({@code
 * sriovnetwork.openshift.io/owner-ref: SriovNetwork.sriovnetwork.openshift.io/<ns>/<name>}). The
 * annotation, not an ownerReference, is the proof of ownership because it works across namespaces
 * and NADs written by sriov-network-operator already carry it.
 */
public final class NadOwnership {
  private static final String PREFIX = "SriovNetwork." + SriovNetworkNodePolicy.GROUP + "/";

  private NadOwnership() {}

  public static Optional<String> ownerAnnotation(NetworkAttachmentDefinition nad) {
    Map<String, String> annotations = nad.getMetadata().getAnnotations();
    return Optional.ofNullable(
        annotations == null ? null : annotations.get(NadRenderer.OWNER_ANNOTATION));
  }

  /** The network named by the owner annotation, if it names one. */
  public static Optional<ResourceID> owner(NetworkAttachmentDefinition nad) {
    return ownerAnnotation(nad)
        .filter(v -> v.startsWith(PREFIX))
        .map(v -> v.substring(PREFIX.length()).split("/", -1))
        .filter(parts -> parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty())
        .map(parts -> new ResourceID(parts[1], parts[0]));
  }

  public static boolean isOwnedBy(NetworkAttachmentDefinition nad, SriovNetwork network) {
    return ownerAnnotation(nad)
        .filter(NadRenderer.ownerAnnotationValue(network)::equals)
        .isPresent();
  }
}
