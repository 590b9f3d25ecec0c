package io.multihome.agent.engine;

import io.multihome.agent.netlink.Attr;
import io.multihome.agent.netlink.Attrs;
import io.multihome.agent.netlink.IfInfoMsg;
import io.multihome.agent.netlink.Link;
import io.multihome.agent.netlink.LinkOps;
import io.multihome.agent.netlink.NlMessage;
import io.multihome.agent.netlink.Request;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.agent.netlink.Rtnl;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Adapter over the netlink library: one link dump decoded into {@link Link} plus the alias and the
 * IPv6 devconf the library does not decode yet (IFLA_IFALIAS, IFLA_AF_SPEC/AF_INET6/INET6_CONF).
 * Also builds the alias-setting request the library lacks.
 */
final class LinkDump {
  private static final int IFLA_INET6_CONF = 2;
  private static final int DEVCONF_DISABLE_IPV6 = 26;
  private static final int IFLA_BRPORT_NO = 15;

  private LinkDump() {}

  static List<NodeLink> list(RtNetlink nl) {
    // SR-IOV PFs carry IFLA_NUM_VF and their VF table (ethernet.sr-iov).
    return nl.dump(LinkOps.listRequest()).stream()
        .filter(m -> m.type() == Rtnl.RTM_NEWLINK)
        .map(LinkDump::decode)
        .toList();
  }

  static NodeLink decode(NlMessage m) {
    Link link = Link.read(m);
    Attrs a = m.attrs(IfInfoMsg.LEN);
    String alias = a.string(Rtnl.Ifla.IFALIAS);
    Integer portNo =
        "bridge".equals(link.slaveKind())
            ? a.nested(Rtnl.Ifla.LINKINFO).nested(Rtnl.Ifla.INFO_SLAVE_DATA).u16(IFLA_BRPORT_NO)
            : null;
    Integer primary =
        "bond".equals(link.kindName())
            ? a.nested(Rtnl.Ifla.LINKINFO)
                .nested(Rtnl.Ifla.INFO_DATA)
                .u32(LinkRequests.IFLA_BOND_PRIMARY)
            : null;
    return new NodeLink(
        link,
        alias == null || alias.isEmpty() ? null : alias,
        ipv6Disabled(a),
        portNo,
        primary,
        addrGenMode(a),
        a.u32(IFLA_MIN_MTU),
        a.u32(IFLA_MAX_MTU),
        a.find(IFLA_PERM_ADDRESS) == null
            ? null
            : io.multihome.agent.netlink.HwAddr.of(a.find(IFLA_PERM_ADDRESS).bytes()).toString(),
        a.nested(IFLA_PROP_LIST).all(IFLA_ALT_IFNAME).stream().map(Attr::string).toList(),
        facts(m, a, link),
        "pci".equals(a.string(SriovDevice.IFLA_PARENT_DEV_BUS_NAME))
            ? a.string(SriovDevice.IFLA_PARENT_DEV_NAME)
            : null);
  }

  private static final int IFLA_INET_CONF = 1;
  private static final int IPV4_DEVCONF_FORWARDING = 1;
  private static final int IFLA_BOND_SLAVE_QUEUE_ID = 5;
  private static final int IFLA_BOND_SLAVE_PRIO = 9;

  private static NodeLink.Facts facts(NlMessage m, Attrs a, Link link) {
    Boolean forwarding = null;
    Attr inet = a.nested(Rtnl.Ifla.AF_SPEC).find(Rtnl.AF_INET);
    if (inet != null) {
      Attr conf = inet.nestedAttrs().find(IFLA_INET_CONF);
      if (conf != null) {
        var buf = conf.value().duplicate().order(ByteOrder.nativeOrder());
        int at = buf.position() + (IPV4_DEVCONF_FORWARDING - 1) * 4;
        if (at + 4 <= buf.limit()) {
          forwarding = buf.getInt(at) != 0;
        }
      }
    }
    Integer queue = null;
    Integer prio = null;
    if ("bond".equals(link.slaveKind())) {
      var d = a.nested(Rtnl.Ifla.LINKINFO).nested(Rtnl.Ifla.INFO_SLAVE_DATA);
      queue = d.u16(IFLA_BOND_SLAVE_QUEUE_ID);
      prio = d.u32(IFLA_BOND_SLAVE_PRIO);
    }
    return new NodeLink.Facts(forwarding, queue, prio, IfInfoMsg.read(m).type());
  }

  /** {@code sysctl net.ipv4.conf.NAME.forwarding=on}, as rtnetlink sets IPv4 devconf. */
  static Request forwardingRequest(String name, boolean on) {
    return LinkOps.modifyRequest(
        "link set ipv4 forwarding",
        name,
        b -> {
          int spec = b.beginNestedPlain(Rtnl.Ifla.AF_SPEC);
          int inet = b.beginNestedPlain(Rtnl.AF_INET);
          int conf = b.beginNestedPlain(IFLA_INET_CONF);
          b.attrU32(IPV4_DEVCONF_FORWARDING, on ? 1 : 0);
          b.endNested(conf);
          b.endNested(inet);
          b.endNested(spec);
        });
  }

  /** A bond port's queue id and priority (only those given). */
  static Request bondPortRequest(String name, Integer queueId, Integer prio) {
    return LinkOps.modifyRequest(
        "link set bond port options",
        name,
        b -> {
          int info = b.beginNestedPlain(Rtnl.Ifla.LINKINFO);
          b.attrString(Rtnl.Ifla.INFO_SLAVE_KIND, "bond");
          int data = b.beginNestedPlain(Rtnl.Ifla.INFO_SLAVE_DATA);
          if (queueId != null) {
            b.attrU16(IFLA_BOND_SLAVE_QUEUE_ID, queueId);
          }
          if (prio != null) {
            b.attrU32(IFLA_BOND_SLAVE_PRIO, prio);
          }
          b.endNested(data);
          b.endNested(info);
        });
  }

  static final int IFLA_PROP_LIST = 52;
  static final int IFLA_ALT_IFNAME = 53;

  private static final int IFLA_MIN_MTU = 50;
  private static final int IFLA_MAX_MTU = 51;
  private static final int IFLA_PERM_ADDRESS = 54;

  private static final int IFLA_INET6_ADDR_GEN_MODE = 8;

  private static Integer addrGenMode(Attrs a) {
    Attr inet6 = a.nested(Rtnl.Ifla.AF_SPEC).find(Rtnl.AF_INET6);
    return inet6 == null ? null : inet6.nestedAttrs().u8(IFLA_INET6_ADDR_GEN_MODE);
  }

  private static boolean ipv6Disabled(Attrs a) {
    Attrs spec = a.nested(Rtnl.Ifla.AF_SPEC);
    Attr inet6 = spec.find(Rtnl.AF_INET6);
    if (inet6 == null) {
      // No IPv6 device state at all: IPv6 is off for this link (or the kernel has no IPv6).
      return true;
    }
    Attr conf = inet6.nestedAttrs().find(IFLA_INET6_CONF);
    if (conf == null) {
      return false;
    }
    var buf = conf.value().duplicate().order(ByteOrder.nativeOrder());
    int at = buf.position() + DEVCONF_DISABLE_IPV6 * 4;
    return at + 4 <= buf.limit() && buf.getInt(at) != 0;
  }

  /** {@code ip link set NAME alias TEXT}; an empty text removes the alias. */
  static Request setAliasRequest(String name, String alias) {
    return new Request(
        "link set alias",
        name,
        Rtnl.RTM_NEWLINK,
        0,
        b -> {
          IfInfoMsg.of(Rtnl.AF_UNSPEC, 0).write(b);
          b.attrString(Rtnl.Ifla.IFNAME, name);
          b.attrString(Rtnl.Ifla.IFALIAS, alias == null ? "" : alias);
        });
  }
}
