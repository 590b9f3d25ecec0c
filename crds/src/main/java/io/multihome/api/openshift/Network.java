package io.multihome.api.openshift;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.multihome.api.read.LenientCustomResource;

/**
 * The Cluster Network Operator's configuration ({@code oc get network.operator cluster}). Only the
 * object named {@code cluster} is read, as by the CNO. Cluster-scoped.
 */
@Group(Network.GROUP)
@Version(value = "v1", storage = true, served = true)
@Kind("Network")
@Plural("networks")
@Singular("network")
@AdditionalPrinterColumn(
    name = "Degraded",
    jsonPath = ".status.conditions[?(@.type==\"Degraded\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
public class Network extends LenientCustomResource<NetworkSpec, NetworkStatus> {
  public static final String GROUP = "operator.openshift.io";

  /** The one object the CNO reads. */
  public static final String CLUSTER = "cluster";

  public static final String CONDITION_DEGRADED = "Degraded";
}
