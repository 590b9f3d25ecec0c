package io.multihome.agent.netlink;

/** Constants from linux/netlink.h, linux/rtnetlink.h, linux/if_link.h and friends. */
public final class Rtnl {
  private Rtnl() {}

  // address families
  public static final int AF_UNSPEC = 0;
  public static final int AF_INET = 2;
  public static final int AF_BRIDGE = 7;
  public static final int AF_INET6 = 10;
  public static final int AF_NETLINK = 16;

  // nlmsghdr types
  public static final int NLMSG_NOOP = 1;
  public static final int NLMSG_ERROR = 2;
  public static final int NLMSG_DONE = 3;
  public static final int NLMSG_OVERRUN = 4;
  public static final int RTM_NEWLINK = 16;
  public static final int RTM_DELLINK = 17;
  public static final int RTM_GETLINK = 18;
  public static final int RTM_SETLINK = 19;
  public static final int RTM_NEWADDR = 20;
  public static final int RTM_DELADDR = 21;
  public static final int RTM_GETADDR = 22;
  public static final int RTM_NEWROUTE = 24;
  public static final int RTM_DELROUTE = 25;
  public static final int RTM_GETROUTE = 26;
  public static final int RTM_NEWRULE = 32;
  public static final int RTM_DELRULE = 33;
  public static final int RTM_GETRULE = 34;

  // nlmsghdr flags
  public static final int NLM_F_REQUEST = 0x1;
  public static final int NLM_F_MULTI = 0x2;
  public static final int NLM_F_ACK = 0x4;
  public static final int NLM_F_ECHO = 0x8;
  public static final int NLM_F_DUMP_INTR = 0x10;
  public static final int NLM_F_ROOT = 0x100;
  public static final int NLM_F_MATCH = 0x200;
  public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
  public static final int NLM_F_REPLACE = 0x100;
  public static final int NLM_F_EXCL = 0x200;
  public static final int NLM_F_CREATE = 0x400;
  public static final int NLM_F_APPEND = 0x800;
  // flags on NLMSG_ERROR acks
  public static final int NLM_F_CAPPED = 0x100;
  public static final int NLM_F_ACK_TLVS = 0x200;
  public static final int NLMSGERR_ATTR_MSG = 1;
  public static final int NLMSGERR_ATTR_OFFS = 2;

  // attribute type flags
  public static final int NLA_F_NESTED = 0x8000;
  public static final int NLA_F_NET_BYTEORDER = 0x4000;
  public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

  // socket options
  public static final int SOL_SOCKET = 1;
  public static final int SO_SNDBUF = 7;
  public static final int SO_RCVBUF = 8;
  public static final int SO_RCVTIMEO = 20;
  public static final int SO_RCVBUFFORCE = 33;
  public static final int SOL_NETLINK = 270;
  public static final int NETLINK_ADD_MEMBERSHIP = 1;
  public static final int NETLINK_CAP_ACK = 10;
  public static final int NETLINK_EXT_ACK = 11;

  // multicast groups (RTNLGRP_*)
  public static final int RTNLGRP_LINK = 1;
  public static final int RTNLGRP_IPV4_IFADDR = 5;
  public static final int RTNLGRP_IPV4_ROUTE = 7;
  public static final int RTNLGRP_IPV4_RULE = 8;
  public static final int RTNLGRP_IPV6_IFADDR = 9;
  public static final int RTNLGRP_IPV6_ROUTE = 11;
  public static final int RTNLGRP_IPV6_RULE = 19;

  // interface flags
  public static final int IFF_UP = 0x1;
  public static final int IFF_PROMISC = 0x100;
  public static final int IFF_BROADCAST = 0x2;
  public static final int IFF_LOOPBACK = 0x8;
  public static final int IFF_RUNNING = 0x40;
  public static final int IFF_LOWER_UP = 0x10000;

  /** IFLA_* link attributes. */
  public static final class Ifla {
    private Ifla() {}

    public static final int ADDRESS = 1;
    public static final int BROADCAST = 2;
    public static final int IFNAME = 3;
    public static final int MTU = 4;
    public static final int LINK = 5;
    public static final int MASTER = 10;
    public static final int PROTINFO = 12;
    public static final int TXQLEN = 13;
    public static final int OPERSTATE = 16;
    public static final int LINKMODE = 17;
    public static final int LINKINFO = 18;
    public static final int NET_NS_PID = 19;
    public static final int IFALIAS = 20;
    public static final int NUM_VF = 21;
    public static final int VFINFO_LIST = 22;
    public static final int AF_SPEC = 26;
    public static final int GROUP = 27;
    public static final int NET_NS_FD = 28;
    public static final int EXT_MASK = 29;
    public static final int LINK_NETNSID = 37;
    public static final int MIN_MTU = 50;
    public static final int MAX_MTU = 51;
    public static final int PERM_ADDRESS = 54;

    public static final int INFO_KIND = 1;
    public static final int INFO_DATA = 2;
    public static final int INFO_SLAVE_KIND = 4;
    public static final int INFO_SLAVE_DATA = 5;

    public static final int RTEXT_FILTER_VF = 1;
    public static final int RTEXT_FILTER_BRVLAN = 2;
    public static final int RTEXT_FILTER_BRVLAN_COMPRESSED = 4;
  }

  /** IFLA_BR_* bridge options. */
  public static final class Br {
    private Br() {}

    public static final int FORWARD_DELAY = 1;
    public static final int HELLO_TIME = 2;
    public static final int MAX_AGE = 3;
    public static final int AGEING_TIME = 4;
    public static final int STP_STATE = 5;
    public static final int PRIORITY = 6;
    public static final int VLAN_FILTERING = 7;
    public static final int VLAN_PROTOCOL = 8;
    public static final int GROUP_FWD_MASK = 9;
    public static final int GROUP_ADDR = 20;
    public static final int MCAST_SNOOPING = 23;
    public static final int VLAN_DEFAULT_PVID = 39;
  }

  /** IFLA_BRPORT_* bridge port options. */
  public static final class BrPort {
    private BrPort() {}

    public static final int STATE = 1;
    public static final int PRIORITY = 2;
    public static final int COST = 3;
    public static final int MODE = 4;
    public static final int GUARD = 5;
    public static final int PROTECT = 6;
    public static final int FAST_LEAVE = 7;
    public static final int LEARNING = 8;
    public static final int UNICAST_FLOOD = 9;
  }

  /** IFLA_BRIDGE_* inside IFLA_AF_SPEC of AF_BRIDGE messages. */
  public static final class BridgeAf {
    private BridgeAf() {}

    public static final int FLAGS = 0;
    public static final int MODE = 1;
    public static final int VLAN_INFO = 2;
    public static final int FLAGS_MASTER = 1;
    public static final int FLAGS_SELF = 2;
    public static final int VLAN_INFO_MASTER = 0x1;
    public static final int VLAN_INFO_PVID = 0x2;
    public static final int VLAN_INFO_UNTAGGED = 0x4;
    public static final int VLAN_INFO_RANGE_BEGIN = 0x8;
    public static final int VLAN_INFO_RANGE_END = 0x10;
  }

  /** IFLA_VLAN_*, IFLA_MACVLAN_*, IFLA_VXLAN_*, IFLA_BOND_*, VETH_INFO_*. */
  public static final class Kind {
    private Kind() {}

    public static final int VETH_INFO_PEER = 1;
    public static final int VLAN_ID = 1;
    public static final int VLAN_FLAGS = 2;
    public static final int VLAN_PROTOCOL = 5;
    public static final int MACVLAN_MODE = 1;
    public static final int MACVLAN_FLAGS = 2;
    public static final int VXLAN_ID = 1;
    public static final int VXLAN_GROUP = 2;
    public static final int VXLAN_LINK = 3;
    public static final int VXLAN_LOCAL = 4;
    public static final int VXLAN_TTL = 5;
    public static final int VXLAN_LEARNING = 7;
    public static final int VXLAN_PORT = 15;
    public static final int VXLAN_GROUP6 = 16;
    public static final int VXLAN_LOCAL6 = 17;
    public static final int BOND_MODE = 1;
    public static final int BOND_MIIMON = 3;
    public static final int BOND_UPDELAY = 4;
    public static final int BOND_DOWNDELAY = 5;
    public static final int BOND_XMIT_HASH_POLICY = 14;
    public static final int BOND_MIN_LINKS = 18;
    public static final int BOND_AD_LACP_RATE = 21;
  }

  /** IFLA_VF_* SR-IOV virtual function attributes. */
  public static final class Vf {
    private Vf() {}

    public static final int INFO = 1;
    public static final int MAC = 1;
    public static final int VLAN = 2;
    public static final int TX_RATE = 3;
    public static final int SPOOFCHK = 4;
    public static final int LINK_STATE = 5;
    public static final int RATE = 6;
    public static final int TRUST = 9;
    public static final int VLAN_LIST = 12;
    public static final int VLAN_INFO = 1;
  }

  /** IFA_* address attributes. */
  public static final class Ifa {
    private Ifa() {}

    public static final int ADDRESS = 1;
    public static final int LOCAL = 2;
    public static final int LABEL = 3;
    public static final int BROADCAST = 4;
    public static final int CACHEINFO = 6;
    public static final int FLAGS = 8;
  }

  /** RTA_* route attributes and rtmsg values. */
  public static final class Rta {
    private Rta() {}

    public static final int DST = 1;
    public static final int SRC = 2;
    public static final int IIF = 3;
    public static final int OIF = 4;
    public static final int GATEWAY = 5;
    public static final int PRIORITY = 6;
    public static final int PREFSRC = 7;
    public static final int METRICS = 8;
    public static final int TABLE = 15;

    /** RTAX_MTU inside RTA_METRICS: the route's path MTU. */
    public static final int METRIC_MTU = 2;

    public static final int TABLE_UNSPEC = 0;
    public static final int TABLE_DEFAULT = 253;
    public static final int TABLE_MAIN = 254;
    public static final int TABLE_LOCAL = 255;
    public static final int PROT_KERNEL = 2;
    public static final int PROT_BOOT = 3;
    public static final int PROT_STATIC = 4;
    public static final int SCOPE_UNIVERSE = 0;
    public static final int SCOPE_LINK = 253;
    public static final int SCOPE_HOST = 254;
    public static final int TYPE_UNICAST = 1;
    public static final int TYPE_LOCAL = 2;
    public static final int TYPE_BLACKHOLE = 6;
    public static final int TYPE_UNREACHABLE = 7;
    public static final int TYPE_PROHIBIT = 8;
  }

  /** FRA_* rule attributes and FR_ACT_* actions. */
  public static final class Fra {
    private Fra() {}

    public static final int DST = 1;
    public static final int SRC = 2;
    public static final int IIFNAME = 3;
    public static final int GOTO = 4;
    public static final int PRIORITY = 6;
    public static final int FWMARK = 10;
    public static final int TABLE = 15;
    public static final int FWMASK = 16;
    public static final int OIFNAME = 17;
    public static final int PROTOCOL = 21;

    public static final int ACT_TO_TBL = 1;
    public static final int ACT_GOTO = 2;
    public static final int ACT_NOP = 3;
    public static final int ACT_BLACKHOLE = 6;
    public static final int ACT_UNREACHABLE = 7;
    public static final int ACT_PROHIBIT = 8;
  }
}
