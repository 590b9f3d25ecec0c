package io.multihome.agent.engine;

import io.multihome.agent.netlink.HwAddr;
import io.multihome.agent.netlink.IfAddrMsg;
import io.multihome.agent.netlink.IfInfoMsg;
import io.multihome.agent.netlink.IpPrefix;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.netlink.MessageBuilder;
import io.multihome.agent.netlink.Request;
import io.multihome.agent.netlink.Rtnl;
import io.multihome.agent.netlink.Rtnl.Br;
import java.util.function.Consumer;

/**
 * Request factories the netlink library offers only as blocking calls (set mtu, address, bridge
 * options; delete address). Building them here lets the applier pipeline them with every other
 * request of a stage; the wire format is the same the library writes.
 */
final class LinkRequests {
  private LinkRequests() {}

  static Request mtu(String name, int mtu) {
    return modify("link set mtu", name, b -> b.attrU32(Rtnl.Ifla.MTU, mtu));
  }

  static Request mac(String name, HwAddr mac) {
    return modify("link set address", name, b -> b.attr(Rtnl.Ifla.ADDRESS, mac.bytes()));
  }

  static Request bridgeOptions(String name, LinkKind.Bridge br) {
    return modify(
        "link set bridge options",
        name,
        b -> {
          int info = b.beginNestedPlain(Rtnl.Ifla.LINKINFO);
          b.attrString(Rtnl.Ifla.INFO_KIND, "bridge");
          int data = b.beginNestedPlain(Rtnl.Ifla.INFO_DATA);
          if (br.forwardDelay() != null) b.attrU32(Br.FORWARD_DELAY, br.forwardDelay());
          if (br.helloTime() != null) b.attrU32(Br.HELLO_TIME, br.helloTime());
          if (br.maxAge() != null) b.attrU32(Br.MAX_AGE, br.maxAge());
          if (br.ageingTime() != null) b.attrU32(Br.AGEING_TIME, br.ageingTime());
          if (br.stpState() != null) b.attrU32(Br.STP_STATE, br.stpState());
          if (br.priority() != null) b.attrU16(Br.PRIORITY, br.priority());
          if (br.vlanFiltering() != null) b.attrU8(Br.VLAN_FILTERING, br.vlanFiltering() ? 1 : 0);
          if (br.multicastSnooping() != null) {
            b.attrU8(Br.MCAST_SNOOPING, br.multicastSnooping() ? 1 : 0);
          }
          b.endNested(data);
          b.endNested(info);
        });
  }

  /** IFLA_BOND_PRIMARY: the primary port's ifindex (the library's Bond record lacks it). */
  static final int IFLA_BOND_PRIMARY = 11;

  /** {@code ip link set NAME type bond ...}: only the given options; {@code primary} 0 = none. */
  static Request bondOptions(String name, LinkKind.Bond bond, Integer primaryIndex) {
    return modify(
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
          if (primaryIndex != null) b.attrU32(IFLA_BOND_PRIMARY, primaryIndex);
          b.endNested(data);
          b.endNested(info);
        });
  }

  static Request deleteAddress(int index, IpPrefix p) {
    return new Request(
        "address delete",
        p + " dev index " + index,
        Rtnl.RTM_DELADDR,
        0,
        b -> {
          new IfAddrMsg(p.family(), p.length(), 0, 0, index).write(b);
          b.attrAddress(Rtnl.Ifa.LOCAL, p.address());
        });
  }

  private static Request modify(String op, String name, Consumer<MessageBuilder> attrs) {
    return new Request(
        op,
        name,
        Rtnl.RTM_NEWLINK,
        0,
        b -> {
          IfInfoMsg.of(Rtnl.AF_UNSPEC, 0).write(b);
          b.attrString(Rtnl.Ifla.IFNAME, name);
          attrs.accept(b);
        });
  }
}
