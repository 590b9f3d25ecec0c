package io.multihome.agent.cni.sriov;

/**
 * A VF found in sysfs.
 *
 * @param netdev the VF's kernel netdev name in the node namespace
 */
public record VfDevice(
    String pciAddress, String pfAddress, String pfName, int vfIndex, String netdev) {}
