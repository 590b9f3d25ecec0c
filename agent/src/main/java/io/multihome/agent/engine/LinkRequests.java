package io.multihome.agent.engine;

import io.multihome.agent.netlink.AddressOps;
import io.multihome.agent.netlink.HwAddr;
import io.multihome.agent.netlink.IpPrefix;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.netlink.LinkOps;
import io.multihome.agent.netlink.Request;

/** The link and address requests the applier pipelines (the library's own factories). */
final class LinkRequests {
  private LinkRequests() {}

  static Request mtu(String name, int mtu) {
    return LinkOps.setMtuRequest(name, mtu);
  }

  static Request mac(String name, HwAddr mac) {
    return LinkOps.setMacRequest(name, mac);
  }

  /**
   * The bridge's STP, ageing and multicast options; its VLAN settings are left alone (the engine
   * does not manage them yet, and a kernel without VLAN filtering refuses even a 0).
   */
  static Request bridgeOptions(String name, LinkKind.Bridge br) {
    return LinkOps.bridgeOptionsRequest(
        name,
        new LinkKind.Bridge(
            br.stpState(),
            br.forwardDelay(),
            br.helloTime(),
            br.maxAge(),
            br.priority(),
            br.ageingTime(),
            null,
            null,
            null,
            br.multicastSnooping()));
  }

  static Request deleteAddress(int index, IpPrefix p) {
    return AddressOps.deleteRequest(index, p);
  }
}
