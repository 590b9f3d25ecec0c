package io.multihome.agent.sriov;

import java.util.List;

/**
 * What netlink knows about one link that sysfs does not: its alternative names and, for an SR-IOV
 * PF, each VF's admin MAC and VLAN as the PF reports them ({@code IFLA_VFINFO_LIST}).
 */
public record LinkDetails(String name, List<String> altNames, List<VfInfo> vfs) {
  public LinkDetails {
    altNames = List.copyOf(altNames);
    vfs = List.copyOf(vfs);
  }

  /**
   * One VF as its PF reports it.
   *
   * @param adminMac null when the PF reports none (or all zeros: never set)
   * @param vlan null when not reported; 0 means untagged
   */
  public record VfInfo(int vfId, String adminMac, Integer vlan) {}
}
