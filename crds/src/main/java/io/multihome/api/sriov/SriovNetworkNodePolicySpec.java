package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Map;
import java.util.Objects;

/** How many VFs to create on which PFs of which nodes, and how to expose them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SriovNetworkNodePolicySpec {
  @Required
  @Size(max = 63)
  @Pattern("^[a-zA-Z0-9]([a-zA-Z0-9_-]*[a-zA-Z0-9])?$")
  @JsonPropertyDescription("Device-plugin resource name (without prefix)")
  private String resourceName;

  @Required
  @JsonPropertyDescription("Node labels that must all be equal (equality only)")
  private Map<String, String> nodeSelector;

  @Min(0)
  @Max(99)
  @JsonPropertyDescription("0 is the highest priority; defaults to 99")
  private Integer priority;

  @Min(1)
  @JsonPropertyDescription("MTU of the PF and VFs")
  private Integer mtu;

  @Required
  @Min(0)
  @JsonPropertyDescription("Number of VFs per selected PF")
  private Integer numVfs;

  @Required private NicSelector nicSelector;

  @Default("netdevice")
  private DeviceType deviceType;

  private Boolean isRdma;

  @JsonPropertyDescription("Mount /dev/vhost-net and /dev/net/tun into pods")
  private Boolean needVhostNet;

  private LinkType linkType;

  private ESwitchMode eSwitchMode;

  private ESwitchParams eSwitchParams;

  private VdpaType vdpaType;

  @JsonPropertyDescription("Do not advertise the NUMA node of the devices")
  private Boolean excludeTopology;

  @JsonPropertyDescription("VFs are created by someone else; only allocate and configure them")
  private Boolean externallyManaged;

  private BridgeConfig bridge;

  public String getResourceName() {
    return resourceName;
  }

  public void setResourceName(String resourceName) {
    this.resourceName = resourceName;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public Integer getPriority() {
    return priority;
  }

  public void setPriority(Integer priority) {
    this.priority = priority;
  }

  public Integer getMtu() {
    return mtu;
  }

  public void setMtu(Integer mtu) {
    this.mtu = mtu;
  }

  public Integer getNumVfs() {
    return numVfs;
  }

  public void setNumVfs(Integer numVfs) {
    this.numVfs = numVfs;
  }

  public NicSelector getNicSelector() {
    return nicSelector;
  }

  public void setNicSelector(NicSelector nicSelector) {
    this.nicSelector = nicSelector;
  }

  public DeviceType getDeviceType() {
    return deviceType;
  }

  public void setDeviceType(DeviceType deviceType) {
    this.deviceType = deviceType;
  }

  public Boolean getIsRdma() {
    return isRdma;
  }

  public void setIsRdma(Boolean isRdma) {
    this.isRdma = isRdma;
  }

  public Boolean getNeedVhostNet() {
    return needVhostNet;
  }

  public void setNeedVhostNet(Boolean needVhostNet) {
    this.needVhostNet = needVhostNet;
  }

  public LinkType getLinkType() {
    return linkType;
  }

  public void setLinkType(LinkType linkType) {
    this.linkType = linkType;
  }

  @JsonProperty("eSwitchMode")
  public ESwitchMode getESwitchMode() {
    return eSwitchMode;
  }

  public void setESwitchMode(ESwitchMode eSwitchMode) {
    this.eSwitchMode = eSwitchMode;
  }

  @JsonProperty("eSwitchParams")
  public ESwitchParams getESwitchParams() {
    return eSwitchParams;
  }

  public void setESwitchParams(ESwitchParams eSwitchParams) {
    this.eSwitchParams = eSwitchParams;
  }

  public VdpaType getVdpaType() {
    return vdpaType;
  }

  public void setVdpaType(VdpaType vdpaType) {
    this.vdpaType = vdpaType;
  }

  public Boolean getExcludeTopology() {
    return excludeTopology;
  }

  public void setExcludeTopology(Boolean excludeTopology) {
    this.excludeTopology = excludeTopology;
  }

  public Boolean getExternallyManaged() {
    return externallyManaged;
  }

  public void setExternallyManaged(Boolean externallyManaged) {
    this.externallyManaged = externallyManaged;
  }

  public BridgeConfig getBridge() {
    return bridge;
  }

  public void setBridge(BridgeConfig bridge) {
    this.bridge = bridge;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SriovNetworkNodePolicySpec other
        && Objects.equals(resourceName, other.resourceName)
        && Objects.equals(nodeSelector, other.nodeSelector)
        && Objects.equals(priority, other.priority)
        && Objects.equals(mtu, other.mtu)
        && Objects.equals(numVfs, other.numVfs)
        && Objects.equals(nicSelector, other.nicSelector)
        && Objects.equals(deviceType, other.deviceType)
        && Objects.equals(isRdma, other.isRdma)
        && Objects.equals(needVhostNet, other.needVhostNet)
        && Objects.equals(linkType, other.linkType)
        && Objects.equals(eSwitchMode, other.eSwitchMode)
        && Objects.equals(eSwitchParams, other.eSwitchParams)
        && Objects.equals(vdpaType, other.vdpaType)
        && Objects.equals(excludeTopology, other.excludeTopology)
        && Objects.equals(externallyManaged, other.externallyManaged)
        && Objects.equals(bridge, other.bridge);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        resourceName,
        nodeSelector,
        priority,
        mtu,
        numVfs,
        nicSelector,
        deviceType,
        isRdma,
        needVhostNet,
        linkType,
        eSwitchMode,
        eSwitchParams,
        vdpaType,
        excludeTopology,
        externallyManaged,
        bridge);
  }
}
