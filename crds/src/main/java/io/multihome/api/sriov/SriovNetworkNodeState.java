package io.multihome.api.sriov;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.multihome.api.read.LenientCustomResource;

/**
 * One per node, named after the node, in the operator namespace: the operator writes the spec, the
 * node agent the status. Users only read it.
 */
@Group(SriovNetworkNodePolicy.GROUP)
@Version(value = "v1", storage = true, served = true)
@Kind("SriovNetworkNodeState")
@Plural("sriovnetworknodestates")
@Singular("sriovnetworknodestate")
@AdditionalPrinterColumn(
    name = "Sync Status",
    jsonPath = ".status.syncStatus",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Desired Sync State",
    jsonPath = ".metadata.annotations.sriovnetwork\\.openshift\\.io/desired-state",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Current Sync State",
    jsonPath = ".metadata.annotations.sriovnetwork\\.openshift\\.io/current-state",
    type = AdditionalPrinterColumn.Type.STRING)
// Upstream's CRD declares Age explicitly (a CRD with columns gets no default Age column).
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class SriovNetworkNodeState
    extends LenientCustomResource<SriovNetworkNodeStateSpec, SriovNetworkNodeStateStatus>
    implements Namespaced {
  /** Drain state machine annotations (values Idle, Drain_Required, Reboot_Required, ...). */
  public static final String DESIRED_STATE_ANNOTATION = "sriovnetwork.openshift.io/desired-state";

  public static final String CURRENT_STATE_ANNOTATION = "sriovnetwork.openshift.io/current-state";
}
