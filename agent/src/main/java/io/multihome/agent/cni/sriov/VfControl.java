package io.multihome.agent.cni.sriov;

import io.multihome.agent.netlink.Vf;

/**
 * VF attributes (VLAN/QoS, MAC, spoofchk, trust, link state, rates) read and set through the PF. A
 * seam because only a real SR-IOV PF driver implements them: production uses {@link
 * NetlinkVfControl}; the hardware-less emulation records the calls instead.
 */
public interface VfControl {

  /** The VF's current settings as the PF reports them. */
  Vf read(String pfName, int vfIndex);

  /** Sets the non-null fields of {@code settings}. */
  void apply(String pfName, Vf settings);
}
