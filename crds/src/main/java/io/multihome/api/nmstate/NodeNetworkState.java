package io.multihome.api.nmstate;

import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.multihome.api.read.LenientCustomResource;

/** One per node, named after the node: what its network looks like now. Status only. */
@Group(NodeNetworkConfigurationPolicy.GROUP)
@Version(value = "v1beta1", storage = true, served = true)
@Kind("NodeNetworkState")
@Plural("nodenetworkstates")
@Singular("nodenetworkstate")
@ShortNames("nns")
public class NodeNetworkState extends LenientCustomResource<Void, NodeNetworkStateStatus> {}
