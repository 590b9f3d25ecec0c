package io.multihome.api.nmstate;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
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
@JsonDeserialize(using = LenientResourceDeserializer.class)
public class NodeNetworkConfigurationPolicy
    extends CustomResource<NodeNetworkConfigurationPolicySpec, NodeNetworkConfigurationPolicyStatus>
    implements LenientlyRead {
  public static final String GROUP = "nmstate.io";

  /** Upstream shows the one condition whose status is True (there is at most one). */
  static final String TRUE_CONDITION = ".status.conditions[?(@.status==\"True\")]";

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
