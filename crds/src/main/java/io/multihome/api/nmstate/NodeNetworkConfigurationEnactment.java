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
 * How one policy went on one node; named {@code <node>.<policy>} and labelled with {@link
 * NmstateLabels#NODE} and {@link NmstateLabels#POLICY}. Status only.
 */
@Group(NodeNetworkConfigurationPolicy.GROUP)
@Version(value = "v1beta1", storage = true, served = true)
@Kind("NodeNetworkConfigurationEnactment")
@Plural("nodenetworkconfigurationenactments")
@Singular("nodenetworkconfigurationenactment")
@ShortNames("nnce")
@AdditionalPrinterColumn(
    name = "Status",
    jsonPath = NodeNetworkConfigurationPolicy.TRUE_CONDITION + ".type",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Status Age",
    jsonPath = NodeNetworkConfigurationPolicy.TRUE_CONDITION + ".lastTransitionTime",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = NodeNetworkConfigurationPolicy.TRUE_CONDITION + ".reason",
    type = AdditionalPrinterColumn.Type.STRING)
public class NodeNetworkConfigurationEnactment
    extends LenientCustomResource<Void, NodeNetworkConfigurationEnactmentStatus> {
  /** The upstream name of the enactment of {@code policy} on {@code node}. */
  public static String nameFor(String node, String policy) {
    return node + "." + policy;
  }
}
