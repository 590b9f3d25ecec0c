package io.multihome.api.nmstate;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.multihome.api.read.LenientCustomResource;

/**
 * The deprecated {@code nmstate.io/v1beta1} view of {@link NodeNetworkConfigurationPolicy}.
 * Upstream still serves it, so clients and GitOps repos that pin v1beta1 keep working; the schema
 * is identical and the API server converts with the default "None" strategy. Only v1 is stored.
 */
@Group(NodeNetworkConfigurationPolicy.GROUP)
@Version(value = "v1beta1", storage = false, served = true, deprecated = true)
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
public class NodeNetworkConfigurationPolicyV1beta1
    extends LenientCustomResource<
        NodeNetworkConfigurationPolicySpec, NodeNetworkConfigurationPolicyStatus> {}
