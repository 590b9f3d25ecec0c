package io.multihome.agent.netlink;

import io.multihome.agent.netlink.LinkKind.Hsr;
import io.multihome.agent.netlink.LinkKind.Ipoib;
import io.multihome.agent.netlink.LinkKind.Ipvlan;
import io.multihome.agent.netlink.LinkKind.Macsec;
import io.multihome.agent.netlink.LinkKind.Vrf;

/** IFLA_INFO_DATA of vrf, ipvlan, hsr, macsec and ipoib links. */
final class KindCodec {
  private KindCodec() {}

  static final int VRF_TABLE = 1;
  static final int IPVLAN_MODE = 1;
  static final int IPVLAN_FLAGS = 2;
  static final int HSR_SLAVE1 = 1;
  static final int HSR_SLAVE2 = 2;
  static final int HSR_MULTICAST_SPEC = 3;
  static final int HSR_SUPERVISION_ADDR = 4;
  static final int HSR_PROTOCOL = 7;
  static final int MACSEC_SCI = 1;
  static final int MACSEC_PORT = 2;
  static final int MACSEC_ENCRYPT = 7;
  static final int MACSEC_INC_SCI = 9;
  static final int MACSEC_VALIDATION = 13;
  static final int MACSEC_OFFLOAD = 15;
  static final int IPOIB_PKEY = 1;
  static final int IPOIB_MODE = 2;

  static void write(MessageBuilder b, LinkKind kind) {
    if (kind instanceof Vrf v) {
      if (v.table() != null) b.attrU32(VRF_TABLE, v.table());
    } else if (kind instanceof Ipvlan v) {
      if (v.mode() != null) b.attrU16(IPVLAN_MODE, v.mode());
      if (v.flags() != null) b.attrU16(IPVLAN_FLAGS, v.flags());
    } else if (kind instanceof Hsr h) {
      if (h.port1() != null) b.attrU32(HSR_SLAVE1, h.port1());
      if (h.port2() != null) b.attrU32(HSR_SLAVE2, h.port2());
      if (h.multicastSpec() != null) b.attrU8(HSR_MULTICAST_SPEC, h.multicastSpec());
      // No IFLA_HSR_VERSION: the kernel refuses a version together with PRP.
      if (h.protocol() != null) b.attrU8(HSR_PROTOCOL, h.protocol());
    } else if (kind instanceof Macsec m) {
      if (m.port() != null) b.attrU16be(MACSEC_PORT, m.port());
      if (m.encrypt() != null) b.attrU8(MACSEC_ENCRYPT, m.encrypt() ? 1 : 0);
      if (m.includeSci() != null) b.attrU8(MACSEC_INC_SCI, m.includeSci() ? 1 : 0);
      if (m.validation() != null) b.attrU8(MACSEC_VALIDATION, m.validation());
      if (m.offload() != null) b.attrU8(MACSEC_OFFLOAD, m.offload());
    } else if (kind instanceof Ipoib i) {
      if (i.pkey() != null) b.attrU16(IPOIB_PKEY, i.pkey());
      if (i.mode() != null) b.attrU16(IPOIB_MODE, i.mode());
    }
  }

  static LinkKind read(String kind, Attrs d) {
    return switch (kind) {
      case "vrf" -> new Vrf(d.u32(VRF_TABLE));
      case "ipvlan" -> new Ipvlan(d.u16(IPVLAN_MODE), d.u16(IPVLAN_FLAGS));
      case "hsr" -> {
        var sup = d.find(HSR_SUPERVISION_ADDR);
        var addr = sup == null ? null : HwAddr.of(sup.bytes());
        yield new Hsr(
            d.u32(HSR_SLAVE1),
            d.u32(HSR_SLAVE2),
            addr == null ? null : Byte.toUnsignedInt(addr.bytes()[addr.bytes().length - 1]),
            d.u8(HSR_PROTOCOL),
            addr);
      }
      case "macsec" -> {
        var sci = d.find(MACSEC_SCI);
        Integer port = null;
        if (sci != null && sci.bytes().length == 8) {
          // The SCI is the MAC followed by the port, in network order.
          var bytes = sci.bytes();
          port = (Byte.toUnsignedInt(bytes[6]) << 8) | Byte.toUnsignedInt(bytes[7]);
        }
        yield new Macsec(
            port,
            bool(d.u8(MACSEC_ENCRYPT)),
            bool(d.u8(MACSEC_INC_SCI)),
            d.u8(MACSEC_VALIDATION),
            d.u8(MACSEC_OFFLOAD));
      }
      default -> new Ipoib(d.u16(IPOIB_PKEY), d.u16(IPOIB_MODE));
    };
  }

  private static Boolean bool(Integer v) {
    return v == null ? null : v != 0;
  }
}
