package io.multihome.agent.netlink;

import io.multihome.agent.netlink.LinkKind.Bond;
import io.multihome.agent.netlink.LinkKind.BondMode;
import io.multihome.agent.netlink.LinkKind.Bridge;
import io.multihome.agent.netlink.LinkKind.Dummy;
import io.multihome.agent.netlink.LinkKind.Macvlan;
import io.multihome.agent.netlink.LinkKind.MacvlanMode;
import io.multihome.agent.netlink.LinkKind.Other;
import io.multihome.agent.netlink.LinkKind.Veth;
import io.multihome.agent.netlink.LinkKind.Vlan;
import io.multihome.agent.netlink.LinkKind.Vxlan;
import io.multihome.agent.netlink.Rtnl.Br;
import io.multihome.agent.netlink.Rtnl.Kind;
import java.net.Inet4Address;

/** Encodes and decodes IFLA_LINKINFO for each {@link LinkKind}. */
final class LinkKindCodec {
  private LinkKindCodec() {}

  /** Writes IFLA_LINKINFO { IFLA_INFO_KIND, IFLA_INFO_DATA {...} }. */
  static void write(MessageBuilder b, LinkKind kind) {
    int info = b.beginNestedPlain(Rtnl.Ifla.LINKINFO);
    // without the NUL, exactly as iproute2 sends it; the kernel compares with nla_strcmp
    b.attr(Rtnl.Ifla.INFO_KIND, kind.kind().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    if (!(kind instanceof Dummy) && !(kind instanceof Other)) {
      int data = b.beginNestedPlain(Rtnl.Ifla.INFO_DATA);
      writeData(b, kind);
      b.endNested(data);
    }
    b.endNested(info);
  }

  private static void writeData(MessageBuilder b, LinkKind kind) {
    if (kind instanceof Bridge br) {
      writeBridge(b, br);
    } else if (kind instanceof Veth v) {
      int peer = b.beginNestedPlain(Kind.VETH_INFO_PEER);
      IfInfoMsg.of(Rtnl.AF_UNSPEC, 0).write(b);
      if (v.peerName() != null) {
        b.attrString(Rtnl.Ifla.IFNAME, v.peerName());
      }
      if (v.peerMac() != null) {
        b.attr(Rtnl.Ifla.ADDRESS, v.peerMac().bytes());
      }
      b.endNested(peer);
    } else if (kind instanceof Vlan v) {
      b.attrU16(Kind.VLAN_ID, v.id());
      if (v.protocol() != null) {
        b.attrU16be(Kind.VLAN_PROTOCOL, v.protocol());
      }
    } else if (kind instanceof Macvlan m) {
      if (m.mode() != null) {
        b.attrU32(Kind.MACVLAN_MODE, m.mode().value);
      }
      if (m.flags() != null) {
        b.attrU16(Kind.MACVLAN_FLAGS, m.flags());
      }
    } else if (kind instanceof Vxlan x) {
      writeVxlan(b, x);
    } else if (kind instanceof Bond bond) {
      writeBond(b, bond);
    } else {
      KindCodec.write(b, kind);
    }
  }

  private static void writeBridge(MessageBuilder b, Bridge br) {
    if (br.forwardDelay() != null) b.attrU32(Br.FORWARD_DELAY, br.forwardDelay());
    if (br.helloTime() != null) b.attrU32(Br.HELLO_TIME, br.helloTime());
    if (br.maxAge() != null) b.attrU32(Br.MAX_AGE, br.maxAge());
    if (br.ageingTime() != null) b.attrU32(Br.AGEING_TIME, br.ageingTime());
    if (br.stpState() != null) b.attrU32(Br.STP_STATE, br.stpState());
    if (br.priority() != null) b.attrU16(Br.PRIORITY, br.priority());
    if (br.vlanFiltering() != null) b.attrU8(Br.VLAN_FILTERING, br.vlanFiltering() ? 1 : 0);
    if (br.vlanProtocol() != null) b.attrU16be(Br.VLAN_PROTOCOL, br.vlanProtocol());
    if (br.defaultPvid() != null) b.attrU16(Br.VLAN_DEFAULT_PVID, br.defaultPvid());
    if (br.multicastSnooping() != null) {
      b.attrU8(Br.MCAST_SNOOPING, br.multicastSnooping() ? 1 : 0);
    }
    if (br.groupFwdMask() != null) b.attrU16(Br.GROUP_FWD_MASK, br.groupFwdMask());
    if (br.groupAddr() != null) b.attr(Br.GROUP_ADDR, br.groupAddr().bytes());
    br.multicast()
        .forEach(
            (type, v) -> {
              switch (Bridge.MCAST_WIDTHS.getOrDefault(type, 0)) {
                case 1 -> b.attrU8(type, v.intValue());
                case 4 -> b.attrU32(type, v.intValue());
                case 8 -> b.attrU64(type, v);
                default -> throw new IllegalArgumentException("bridge attribute " + type);
              }
            });
  }

  private static void writeVxlan(MessageBuilder b, Vxlan x) {
    b.attrU32(Kind.VXLAN_ID, x.vni());
    if (x.remote() != null) {
      b.attrAddress(
          x.remote() instanceof Inet4Address ? Kind.VXLAN_GROUP : Kind.VXLAN_GROUP6, x.remote());
    }
    if (x.local() != null) {
      b.attrAddress(
          x.local() instanceof Inet4Address ? Kind.VXLAN_LOCAL : Kind.VXLAN_LOCAL6, x.local());
    }
    if (x.underlayIndex() != null) b.attrU32(Kind.VXLAN_LINK, x.underlayIndex());
    if (x.learning() != null) b.attrU8(Kind.VXLAN_LEARNING, x.learning() ? 1 : 0);
    if (x.port() != null) b.attrU16be(Kind.VXLAN_PORT, x.port());
  }

  private static void writeBond(MessageBuilder b, Bond bond) {
    if (bond.mode() != null) b.attrU8(Kind.BOND_MODE, bond.mode().ordinal());
    if (bond.miimon() != null) b.attrU32(Kind.BOND_MIIMON, bond.miimon());
    if (bond.updelay() != null) b.attrU32(Kind.BOND_UPDELAY, bond.updelay());
    if (bond.downdelay() != null) b.attrU32(Kind.BOND_DOWNDELAY, bond.downdelay());
    if (bond.xmitHashPolicy() != null) b.attrU8(Kind.BOND_XMIT_HASH_POLICY, bond.xmitHashPolicy());
    if (bond.minLinks() != null) b.attrU32(Kind.BOND_MIN_LINKS, bond.minLinks());
    if (bond.lacpRate() != null) b.attrU8(Kind.BOND_AD_LACP_RATE, bond.lacpRate());
    BondOptions.write(b, bond.more());
  }

  private static java.util.Map<Integer, Long> multicast(Attrs d) {
    var out = new java.util.TreeMap<Integer, Long>();
    Bridge.MCAST_WIDTHS.forEach(
        (type, width) -> {
          var a = d.find(type);
          if (a != null) {
            out.put(
                type,
                switch (width) {
                  case 1 -> (long) a.u8();
                  case 4 -> Integer.toUnsignedLong(a.u32());
                  default -> a.u64();
                });
          }
        });
    return out;
  }

  /** Decodes the content of IFLA_LINKINFO; a link without it is {@code Other("")}. */
  static LinkKind read(Attrs info) {
    String kind = info.string(Rtnl.Ifla.INFO_KIND);
    if (kind == null) {
      return new Other("");
    }
    Attrs d = info.nested(Rtnl.Ifla.INFO_DATA);
    return switch (kind) {
      case "bridge" ->
          new Bridge(
              d.u32(Br.STP_STATE),
              d.u32(Br.FORWARD_DELAY),
              d.u32(Br.HELLO_TIME),
              d.u32(Br.MAX_AGE),
              d.u16(Br.PRIORITY),
              d.u32(Br.AGEING_TIME),
              BridgePortOptions.bool(d.u8(Br.VLAN_FILTERING)),
              beOrNull(d, Br.VLAN_PROTOCOL),
              d.u16(Br.VLAN_DEFAULT_PVID),
              BridgePortOptions.bool(d.u8(Br.MCAST_SNOOPING)),
              d.u16(Br.GROUP_FWD_MASK),
              d.find(Br.GROUP_ADDR) == null ? null : HwAddr.of(d.find(Br.GROUP_ADDR).bytes()),
              multicast(d));
      case "veth" -> new Veth(null, null);
      case "vlan" ->
          new Vlan(
              d.u16(Kind.VLAN_ID) == null ? 0 : d.u16(Kind.VLAN_ID),
              beOrNull(d, Kind.VLAN_PROTOCOL));
      case "macvlan", "macvtap" ->
          new Macvlan(
              d.u32(Kind.MACVLAN_MODE) == null ? null : MacvlanMode.of(d.u32(Kind.MACVLAN_MODE)),
              kind.equals("macvtap"),
              // The kernel reports 0 for "no flags": the same as none given.
              d.u16(Kind.MACVLAN_FLAGS) == null || d.u16(Kind.MACVLAN_FLAGS) == 0
                  ? null
                  : d.u16(Kind.MACVLAN_FLAGS));
      case "vxlan" -> readVxlan(d);
      case "dummy" -> new Dummy();
      case "bond" ->
          new Bond(
              d.u8(Kind.BOND_MODE) == null ? null : BondMode.values()[d.u8(Kind.BOND_MODE) % 7],
              d.u32(Kind.BOND_MIIMON),
              d.u32(Kind.BOND_UPDELAY),
              d.u32(Kind.BOND_DOWNDELAY),
              d.u8(Kind.BOND_XMIT_HASH_POLICY),
              d.u32(Kind.BOND_MIN_LINKS),
              d.u8(Kind.BOND_AD_LACP_RATE),
              BondOptions.read(d));
      case "vrf", "ipvlan", "hsr", "macsec", "ipoib" -> KindCodec.read(kind, d);
      default -> new Other(kind);
    };
  }

  private static Vxlan readVxlan(Attrs d) {
    Attr group =
        d.find(Kind.VXLAN_GROUP) != null ? d.find(Kind.VXLAN_GROUP) : d.find(Kind.VXLAN_GROUP6);
    Attr local =
        d.find(Kind.VXLAN_LOCAL) != null ? d.find(Kind.VXLAN_LOCAL) : d.find(Kind.VXLAN_LOCAL6);
    Integer id = d.u32(Kind.VXLAN_ID);
    return new Vxlan(
        id == null ? 0 : id,
        local == null ? null : local.address(),
        group == null ? null : group.address(),
        beOrNull(d, Kind.VXLAN_PORT),
        BridgePortOptions.bool(d.u8(Kind.VXLAN_LEARNING)),
        d.u32(Kind.VXLAN_LINK));
  }

  private static Integer beOrNull(Attrs a, int type) {
    Attr x = a.find(type);
    return x == null ? null : x.u16be();
  }
}
