package io.multihome.api.nmstate;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
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

/** One per node, named after the node: what its network looks like now. Status only. */
@Group(NodeNetworkConfigurationPolicy.GROUP)
@Version(value = "v1beta1", storage = true, served = true)
@Kind("NodeNetworkState")
@Plural("nodenetworkstates")
@Singular("nodenetworkstate")
@ShortNames("nns")
@JsonDeserialize(using = LenientResourceDeserializer.class)
public class NodeNetworkState extends CustomResource<Void, NodeNetworkStateStatus>
    implements LenientlyRead {
  @JsonIgnore private transient ReadReport readReport = ReadReport.CLEAN;

  @Override
  public ReadReport readReport() {
    return readReport;
  }

  @Override
  public void readReport(ReadReport report) {
    this.readReport = report == null ? ReadReport.CLEAN : report;
  }
}
