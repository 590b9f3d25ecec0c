package io.multihome.agent.cni.ipam;

/**
 * Who asks for an address: the sandbox ({@code containerId}), the pod ({@code podRef}, {@code
 * namespace/name}, whereabouts' format) and the interface in it.
 */
public record Owner(String containerId, String podRef, String ifName) {

  /** The same pod and interface (a new sandbox of the same pod keeps the address, as upstream). */
  public boolean samePodInterface(String otherPodRef, String otherIfName) {
    return podRef.equals(otherPodRef) && ifName.equals(nullToEmpty(otherIfName));
  }

  /** The allocation DEL removes: same sandbox and interface. */
  public boolean sameSandboxInterface(String otherContainerId, String otherIfName) {
    return containerId.equals(otherContainerId) && ifName.equals(nullToEmpty(otherIfName));
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
