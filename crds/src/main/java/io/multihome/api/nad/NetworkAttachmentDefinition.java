package io.multihome.api.nad;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.multihome.api.read.LenientResourceDeserializer;
import io.multihome.api.read.LenientlyRead;
import io.multihome.api.read.ReadReport;

/** A secondary network pods select with the {@code k8s.v1.cni.cncf.io/networks} annotation. */
@Group("k8s.cni.cncf.io")
@Version(value = "v1", storage = true, served = true)
@Kind("NetworkAttachmentDefinition")
@Plural("network-attachment-definitions")
@Singular("network-attachment-definition")
@ShortNames({"net-attach-def", "nad"})
@JsonDeserialize(using = LenientResourceDeserializer.class)
public class NetworkAttachmentDefinition
    extends CustomResource<NetworkAttachmentDefinitionSpec, Void>
    implements LenientlyRead, Namespaced {
  @JsonIgnore private transient ReadReport readReport = ReadReport.CLEAN;

  @Override
  public ReadReport readReport() {
    return readReport;
  }

  @Override
  public void readReport(ReadReport report) {
    this.readReport = report == null ? ReadReport.CLEAN : report;
  }

  /** NAD annotation tying the network to a device-plugin resource, e.g. {@code intel.com/sriov}. */
  public static final String RESOURCE_NAME_ANNOTATION = "k8s.v1.cni.cncf.io/resourceName";
}
