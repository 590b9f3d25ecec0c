package io.multihome.sriov.sysfs;

import java.io.IOException;

/**
 * The netlink half of applying a node state, implemented by the agent (rtnetlink on the PF). The
 * provisioner calls it after VFs exist and their drivers are bound; sysfs cannot do these.
 */
public interface VfLinkConfigurator {
  /**
   * Pins VF {@code vfId}'s admin MAC on the PF ({@code IFLA_VF_MAC}) to {@code mac}, so the MAC
   * survives driver rebinds (upstream sets it to the VF's current MAC).
   */
  void setVfAdminMac(String pfName, int vfId, String mac) throws IOException;

  /** Sets the link administratively up. */
  void setLinkUp(String ifName) throws IOException;
}
