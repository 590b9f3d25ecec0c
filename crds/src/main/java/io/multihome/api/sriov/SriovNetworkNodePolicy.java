package io.multihome.api.sriov;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.multihome.api.read.LenientCustomResource;

/**
 * Creates VFs on the PFs its nicSelector picks on the nodes its nodeSelector picks. Only policies
 * in the operator's namespace take effect (as upstream).
 *
 * <p>Upstream declares a status subresource but never puts anything in it, so the status is an
 * opaque object: whatever a server returns is kept, and writing a policy back never drops it.
 */
@Group(SriovNetworkNodePolicy.GROUP)
@Version(value = "v1", storage = true, served = true)
@Kind("SriovNetworkNodePolicy")
@Plural("sriovnetworknodepolicies")
@Singular("sriovnetworknodepolicy")
public class SriovNetworkNodePolicy
    extends LenientCustomResource<SriovNetworkNodePolicySpec, ObjectNode> implements Namespaced {
  public static final String GROUP = "sriovnetwork.openshift.io";
}
