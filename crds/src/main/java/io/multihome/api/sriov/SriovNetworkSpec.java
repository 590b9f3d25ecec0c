package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** An SR-IOV network; rendered into a NetworkAttachmentDefinition for sriov-cni. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SriovNetworkSpec {
  @JsonPropertyDescription("Namespace of the generated NetworkAttachmentDefinition")
  private String networkNamespace;

  @Required
  @JsonPropertyDescription("Device-plugin resource name the VFs come from")
  private String resourceName;

  @JsonPropertyDescription("CNI capabilities as JSON, e.g. {\"mac\": true, \"ips\": true}")
  private String capabilities;

  @JsonPropertyDescription("IPAM configuration as JSON")
  private String ipam;

  @Min(0)
  @Max(4095)
  @JsonPropertyDescription("VLAN ID of the VF; 0 = none")
  private Integer vlan;

  @Min(0)
  @Max(7)
  @JsonPropertyDescription("VLAN priority of the VF")
  private Integer vlanQoS;

  private VlanProto vlanProto;

  private OnOff spoofChk;

  private OnOff trust;

  private OnOff allMulticast;

  private VfLinkState linkState;

  @Min(0)
  @JsonPropertyDescription("Minimum TX rate of the VF in Mbps")
  private Integer minTxRate;

  @Min(0)
  @JsonPropertyDescription("Maximum TX rate of the VF in Mbps; 0 = unlimited")
  private Integer maxTxRate;

  @JsonPropertyDescription("CNI plugin configs (JSON objects) chained after sriov")
  private String metaPlugins;

  @Default("info")
  private CniLogLevel logLevel;

  private String logFile;

  public String getNetworkNamespace() {
    return networkNamespace;
  }

  public void setNetworkNamespace(String networkNamespace) {
    this.networkNamespace = networkNamespace;
  }

  public String getResourceName() {
    return resourceName;
  }

  public void setResourceName(String resourceName) {
    this.resourceName = resourceName;
  }

  public String getCapabilities() {
    return capabilities;
  }

  public void setCapabilities(String capabilities) {
    this.capabilities = capabilities;
  }

  public String getIpam() {
    return ipam;
  }

  public void setIpam(String ipam) {
    this.ipam = ipam;
  }

  public Integer getVlan() {
    return vlan;
  }

  public void setVlan(Integer vlan) {
    this.vlan = vlan;
  }

  public Integer getVlanQoS() {
    return vlanQoS;
  }

  public void setVlanQoS(Integer vlanQoS) {
    this.vlanQoS = vlanQoS;
  }

  public VlanProto getVlanProto() {
    return vlanProto;
  }

  public void setVlanProto(VlanProto vlanProto) {
    this.vlanProto = vlanProto;
  }

  public OnOff getSpoofChk() {
    return spoofChk;
  }

  public void setSpoofChk(OnOff spoofChk) {
    this.spoofChk = spoofChk;
  }

  public OnOff getTrust() {
    return trust;
  }

  public void setTrust(OnOff trust) {
    this.trust = trust;
  }

  public OnOff getAllMulticast() {
    return allMulticast;
  }

  public void setAllMulticast(OnOff allMulticast) {
    this.allMulticast = allMulticast;
  }

  public VfLinkState getLinkState() {
    return linkState;
  }

  public void setLinkState(VfLinkState linkState) {
    this.linkState = linkState;
  }

  public Integer getMinTxRate() {
    return minTxRate;
  }

  public void setMinTxRate(Integer minTxRate) {
    this.minTxRate = minTxRate;
  }

  public Integer getMaxTxRate() {
    return maxTxRate;
  }

  public void setMaxTxRate(Integer maxTxRate) {
    this.maxTxRate = maxTxRate;
  }

  public String getMetaPlugins() {
    return metaPlugins;
  }

  public void setMetaPlugins(String metaPlugins) {
    this.metaPlugins = metaPlugins;
  }

  public CniLogLevel getLogLevel() {
    return logLevel;
  }

  public void setLogLevel(CniLogLevel logLevel) {
    this.logLevel = logLevel;
  }

  public String getLogFile() {
    return logFile;
  }

  public void setLogFile(String logFile) {
    this.logFile = logFile;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SriovNetworkSpec other
        && Objects.equals(networkNamespace, other.networkNamespace)
        && Objects.equals(resourceName, other.resourceName)
        && Objects.equals(capabilities, other.capabilities)
        && Objects.equals(ipam, other.ipam)
        && Objects.equals(vlan, other.vlan)
        && Objects.equals(vlanQoS, other.vlanQoS)
        && Objects.equals(vlanProto, other.vlanProto)
        && Objects.equals(spoofChk, other.spoofChk)
        && Objects.equals(trust, other.trust)
        && Objects.equals(allMulticast, other.allMulticast)
        && Objects.equals(linkState, other.linkState)
        && Objects.equals(minTxRate, other.minTxRate)
        && Objects.equals(maxTxRate, other.maxTxRate)
        && Objects.equals(metaPlugins, other.metaPlugins)
        && Objects.equals(logLevel, other.logLevel)
        && Objects.equals(logFile, other.logFile);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        networkNamespace,
        resourceName,
        capabilities,
        ipam,
        vlan,
        vlanQoS,
        vlanProto,
        spoofChk,
        trust,
        allMulticast,
        linkState,
        minTxRate,
        maxTxRate,
        metaPlugins,
        logLevel,
        logFile);
  }
}
