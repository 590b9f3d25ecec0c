package io.multihome.api.nad;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.multihome.api.read.LenientCustomResource;

/** A secondary network pods select with the {@code k8s.v1.cni.cncf.io/networks} annotation. */
@Group("k8s.cni.cncf.io")
@Version(value = "v1", storage = true, served = true)
@Kind("NetworkAttachmentDefinition")
@Plural("network-attachment-definitions")
@Singular("network-attachment-definition")
@ShortNames({"net-attach-def", "nad"})
public class NetworkAttachmentDefinition
    extends LenientCustomResource<NetworkAttachmentDefinitionSpec, Void> implements Namespaced {
  /** NAD annotation tying the network to a device-plugin resource, e.g. {@code intel.com/sriov}. */
  public static final String RESOURCE_NAME_ANNOTATION = "k8s.v1.cni.cncf.io/resourceName";
}
