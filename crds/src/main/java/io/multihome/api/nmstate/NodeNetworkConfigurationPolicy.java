package io.multihome.api.nmstate;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.multihome.api.read.LenientCustomResource;

/** A cluster-wide request to apply an nmstate desired state on the nodes it selects. */
@Group(NodeNetworkConfigurationPolicy.GROUP)
@Version(value = "v1", storage = true, served = true)
@Kind("NodeNetworkConfigurationPolicy")
@Plural("nodenetworkconfigurationpolicies")
@Singular("nodenetworkconfigurationpolicy")
@ShortNames("nncp")
@AdditionalPrinterColumn(
    name = "Status",
    jsonPath = NodeNetworkConfigurationPolicy.TRUE_CONDITION + ".type",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = NodeNetworkConfigurationPolicy.TRUE_CONDITION + ".reason",
    type = AdditionalPrinterColumn.Type.STRING)
public class NodeNetworkConfigurationPolicy
    extends LenientCustomResource<
        NodeNetworkConfigurationPolicySpec, NodeNetworkConfigurationPolicyStatus> {
  public static final String GROUP = "nmstate.io";

  /** Upstream shows the one condition whose status is True (there is at most one). */
  static final String TRUE_CONDITION = ".status.conditions[?(@.status==\"True\")]";
}
