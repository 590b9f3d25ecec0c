package io.multihome.sriov.policy;

import io.multihome.api.sriov.DeviceType;
import io.multihome.api.sriov.LinkType;
import io.multihome.api.sriov.SriovNetworkNodePolicySpec;

/** Upstream's mutating-webhook defaults, applied when reading a policy instead of patching it. */
public final class PolicyDefaults {
  public static final int DEFAULT_PRIORITY = 99;

  private PolicyDefaults() {}

  public static int priority(SriovNetworkNodePolicySpec spec) {
    return spec.getPriority() == null ? DEFAULT_PRIORITY : spec.getPriority();
  }

  public static DeviceType deviceType(SriovNetworkNodePolicySpec spec) {
    return spec.getDeviceType() == null ? DeviceType.NETDEVICE : spec.getDeviceType();
  }

  /** InfiniBand VFs on a kernel driver are always RDMA devices (upstream forces it). */
  public static boolean isRdma(SriovNetworkNodePolicySpec spec) {
    return Boolean.TRUE.equals(spec.getIsRdma())
        || (isIb(spec.getLinkType()) && deviceType(spec) != DeviceType.VFIO_PCI);
  }

  public static boolean isIb(LinkType linkType) {
    return linkType == LinkType.IB || linkType == LinkType.IB_UPPERCASE;
  }

  public static int numVfs(SriovNetworkNodePolicySpec spec) {
    return spec.getNumVfs() == null ? 0 : spec.getNumVfs();
  }
}
