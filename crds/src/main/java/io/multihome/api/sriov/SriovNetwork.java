package io.multihome.api.sriov;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.multihome.api.read.LenientCustomResource;

/** An SR-IOV network that pods attach to through the NetworkAttachmentDefinition it renders. */
@Group(SriovNetworkNodePolicy.GROUP)
@Version(value = "v1", storage = true, served = true)
@Kind("SriovNetwork")
@Plural("sriovnetworks")
@Singular("sriovnetwork")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
// Upstream's CRD declares Age explicitly (a CRD with columns gets no default Age column).
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class SriovNetwork extends LenientCustomResource<SriovNetworkSpec, SriovNetworkStatus>
    implements Namespaced {
  /** Condition type upstream sets on networks. */
  public static final String CONDITION_READY = "Ready";

  public static final String REASON_NETWORK_READY = "NetworkReady";
  public static final String REASON_NAD_NOT_FOUND = "NetworkAttachmentDefinitionNotFound";
  public static final String REASON_NAD_INVALID = "NetworkAttachmentDefinitionInvalid";
  public static final String REASON_NAMESPACE_NOT_FOUND = "NamespaceNotFound";
}
