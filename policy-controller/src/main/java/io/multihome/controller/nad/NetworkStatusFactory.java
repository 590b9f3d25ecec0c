package io.multihome.controller.nad;

import io.multihome.api.sriov.SriovNetwork;
import io.multihome.controller.sriov.Conditions;

/**
 * The {@code Ready} conditions a SriovNetwork can have, with upstream's reasons where they exist.
 */
final class NetworkStatusFactory {
  /** Ours: a NAD of that name exists and belongs to someone else, so it is left alone. */
  static final String REASON_NAD_NOT_OWNED = "NetworkAttachmentDefinitionNotOwned";

  private NetworkStatusFactory() {}

  static Conditions.Wanted ready(String namespace, String name) {
    return new Conditions.Wanted(
        SriovNetwork.CONDITION_READY,
        true,
        SriovNetwork.REASON_NETWORK_READY,
        "NetworkAttachmentDefinition " + namespace + "/" + name + " is up to date");
  }

  static Conditions.Wanted invalid(String message) {
    return new Conditions.Wanted(
        SriovNetwork.CONDITION_READY, false, SriovNetwork.REASON_NAD_INVALID, message);
  }

  static Conditions.Wanted namespaceMissing(String namespace) {
    return new Conditions.Wanted(
        SriovNetwork.CONDITION_READY,
        false,
        SriovNetwork.REASON_NAMESPACE_NOT_FOUND,
        "namespace "
            + namespace
            + " does not exist; the NetworkAttachmentDefinition is created"
            + " when it appears");
  }

  static Conditions.Wanted notOwned(String namespace, String name, String foundOwner) {
    return new Conditions.Wanted(
        SriovNetwork.CONDITION_READY,
        false,
        REASON_NAD_NOT_OWNED,
        "NetworkAttachmentDefinition "
            + namespace
            + "/"
            + name
            + " exists and is not owned by this SriovNetwork (owner annotation: "
            + (foundOwner == null ? "none" : "\"" + foundOwner + "\"")
            + "); it is left unchanged. Delete it or rename the SriovNetwork.");
  }
}
