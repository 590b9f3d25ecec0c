package io.multihome.agent.engine;

import io.multihome.agent.netlink.AddressOps;
import io.multihome.agent.netlink.HwAddr;
import io.multihome.agent.netlink.IpPrefix;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.netlink.LinkOps;
import io.multihome.agent.netlink.Request;
import io.multihome.agent.netlink.Rtnl;

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
   * The bridge's STP, ageing, multicast, group forwarding and VLAN options (the caller sets only
   * what changes: a kernel without VLAN filtering refuses even vlan_filtering 0).
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
            br.vlanFiltering(),
            br.vlanProtocol(),
            br.defaultPvid(),
            br.multicastSnooping(),
            br.groupFwdMask(),
            br.groupAddr(),
            br.multicast()));
  }

  /** IFLA_BOND_PRIMARY: the primary port's ifindex (the library's Bond record lacks it). */
  static final int IFLA_BOND_PRIMARY = 11;

  /** {@code ip link set NAME type bond ...}: only the given options; {@code primary} 0 = none. */
  static Request bondOptions(String name, LinkKind.Bond bond, Integer primaryIndex) {
    return LinkOps.modifyRequest(
        "link set bond options",
        name,
        b -> {
          int info = b.beginNestedPlain(Rtnl.Ifla.LINKINFO);
          b.attrString(Rtnl.Ifla.INFO_KIND, "bond");
          int data = b.beginNestedPlain(Rtnl.Ifla.INFO_DATA);
          if (bond.miimon() != null) b.attrU32(Rtnl.Kind.BOND_MIIMON, bond.miimon());
          if (bond.updelay() != null) b.attrU32(Rtnl.Kind.BOND_UPDELAY, bond.updelay());
          if (bond.downdelay() != null) b.attrU32(Rtnl.Kind.BOND_DOWNDELAY, bond.downdelay());
          if (bond.xmitHashPolicy() != null) {
            b.attrU8(Rtnl.Kind.BOND_XMIT_HASH_POLICY, bond.xmitHashPolicy());
          }
          if (bond.minLinks() != null) b.attrU32(Rtnl.Kind.BOND_MIN_LINKS, bond.minLinks());
          if (bond.lacpRate() != null) b.attrU8(Rtnl.Kind.BOND_AD_LACP_RATE, bond.lacpRate());
          io.multihome.agent.netlink.BondOptions.write(b, bond.more());
          if (primaryIndex != null) b.attrU32(IFLA_BOND_PRIMARY, primaryIndex);
          b.endNested(data);
          b.endNested(info);
        });
  }

  /** {@code ip link set NAME promisc on|off}: only IFF_PROMISC changes. */
  static Request promisc(String name, boolean on) {
    return new Request(
        "link set promisc",
        name,
        Rtnl.RTM_NEWLINK,
        0,
        b -> {
          new io.multihome.agent.netlink.IfInfoMsg(
                  Rtnl.AF_UNSPEC, 0, 0, on ? Rtnl.IFF_PROMISC : 0, Rtnl.IFF_PROMISC)
              .write(b);
          b.attrString(Rtnl.Ifla.IFNAME, name);
        });
  }

  static Request deleteAddress(int index, IpPrefix p) {
    return AddressOps.deleteRequest(index, p);
  }
}
