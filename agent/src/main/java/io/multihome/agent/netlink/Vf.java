package io.multihome.agent.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An SR-IOV virtual function's settings (IFLA_VF_*). Read back from IFLA_VFINFO_LIST with every
 * reported field filled; used to set a VF with only the non-null fields sent. vlanProto is 0x8100
 * or 0x88a8; rates are in Mbit/s; linkState 0 auto, 1 enable, 2 disable.
 */
public record Vf(
    int vf,
    HwAddr mac,
    Integer vlan,
    Integer qos,
    Integer vlanProto,
    Boolean spoofchk,
    Boolean trust,
    Integer linkState,
    Integer minTxRate,
    Integer maxTxRate) {

  public static Vf of(int vf) {
    return new Vf(vf, null, null, null, null, null, null, null, null, null);
  }

  public Vf withMac(HwAddr m) {
    return new Vf(vf, m, vlan, qos, vlanProto, spoofchk, trust, linkState, minTxRate, maxTxRate);
  }

  public Vf withVlan(int v, int q, Integer proto) {
    return new Vf(vf, mac, v, q, proto, spoofchk, trust, linkState, minTxRate, maxTxRate);
  }

  public Vf withSpoofchk(boolean on) {
    return new Vf(vf, mac, vlan, qos, vlanProto, on, trust, linkState, minTxRate, maxTxRate);
  }

  public Vf withTrust(boolean on) {
    return new Vf(vf, mac, vlan, qos, vlanProto, spoofchk, on, linkState, minTxRate, maxTxRate);
  }

  public Vf withLinkState(int state) {
    return new Vf(vf, mac, vlan, qos, vlanProto, spoofchk, trust, state, minTxRate, maxTxRate);
  }

  public Vf withRate(int min, int max) {
    return new Vf(vf, mac, vlan, qos, vlanProto, spoofchk, trust, linkState, min, max);
  }

  private static byte[] u32s(int... v) {
    var b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.nativeOrder());
    for (int x : v) {
      b.putInt(x);
    }
    return b.array();
  }

  /** Writes IFLA_VFINFO_LIST { IFLA_VF_INFO { ... } } with the non-null settings. */
  void write(MessageBuilder b) {
    int list = b.beginNestedPlain(Rtnl.Ifla.VFINFO_LIST);
    int info = b.beginNestedPlain(Rtnl.Vf.INFO);
    if (mac != null) {
      b.attr(
          Rtnl.Vf.MAC,
          ByteBuffer.allocate(36)
              .order(ByteOrder.nativeOrder())
              .putInt(vf)
              .put(mac.bytes())
              .array());
    }
    if (vlan != null) {
      int q = qos == null ? 0 : qos;
      if (vlanProto != null) {
        int vl = b.beginNestedPlain(Rtnl.Vf.VLAN_LIST);
        var s = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putInt(vf).putInt(vlan);
        s.putInt(q).put((byte) (vlanProto >> 8)).put((byte) vlanProto.intValue());
        b.attr(Rtnl.Vf.VLAN_INFO, s.array());
        b.endNested(vl);
      } else {
        b.attr(Rtnl.Vf.VLAN, u32s(vf, vlan, q));
      }
    }
    if (minTxRate != null || maxTxRate != null) {
      b.attr(Rtnl.Vf.RATE, u32s(vf, orZero(minTxRate), orZero(maxTxRate)));
    }
    if (spoofchk != null) b.attr(Rtnl.Vf.SPOOFCHK, u32s(vf, spoofchk ? 1 : 0));
    if (linkState != null) b.attr(Rtnl.Vf.LINK_STATE, u32s(vf, linkState));
    if (trust != null) b.attr(Rtnl.Vf.TRUST, u32s(vf, trust ? 1 : 0));
    b.endNested(info);
    b.endNested(list);
  }

  private static int orZero(Integer v) {
    return v == null ? 0 : v;
  }

  /** Decodes IFLA_VFINFO_LIST (the attribute's nested content). */
  static List<Vf> readList(Attrs list) {
    var out = new ArrayList<Vf>();
    for (Attr info : list.all(Rtnl.Vf.INFO)) {
      out.add(readOne(info.nestedAttrs()));
    }
    return out;
  }

  private static Vf readOne(Attrs a) {
    Attr macA = a.find(Rtnl.Vf.MAC);
    if (macA == null) {
      throw new MalformedMessageException("IFLA_VF_INFO without IFLA_VF_MAC");
    }
    ByteBuffer m = structOf(macA, 36);
    int vf = m.getInt(0);
    byte[] mac = Arrays.copyOfRange(macA.bytes(), 4, 10);
    Integer vlan = null;
    Integer qos = null;
    Integer proto = null;
    Attr vl = a.find(Rtnl.Vf.VLAN);
    if (vl != null) {
      ByteBuffer v = structOf(vl, 12);
      vlan = v.getInt(4);
      qos = v.getInt(8);
    }
    Attr vlist = a.find(Rtnl.Vf.VLAN_LIST);
    if (vlist != null) {
      Attr first = vlist.nestedAttrs().find(Rtnl.Vf.VLAN_INFO);
      if (first != null) {
        ByteBuffer v = structOf(first, 14);
        vlan = v.getInt(4);
        qos = v.getInt(8);
        proto = ((v.get(12) & 0xff) << 8) | (v.get(13) & 0xff);
      }
    }
    Integer min = null;
    Integer max = null;
    Attr rate = a.find(Rtnl.Vf.RATE);
    if (rate != null) {
      ByteBuffer r = structOf(rate, 12);
      min = r.getInt(4);
      max = r.getInt(8);
    }
    return new Vf(
        vf,
        HwAddr.of(mac),
        vlan,
        qos,
        proto,
        flag(a, Rtnl.Vf.SPOOFCHK),
        flag(a, Rtnl.Vf.TRUST),
        second(a, Rtnl.Vf.LINK_STATE),
        min,
        max);
  }

  private static ByteBuffer structOf(Attr a, int len) {
    if (a.length() < len) {
      throw new MalformedMessageException("VF attribute " + a.type() + " shorter than " + len);
    }
    return a.value().duplicate().order(ByteOrder.nativeOrder());
  }

  private static Integer second(Attrs a, int type) {
    Attr x = a.find(type);
    return x == null ? null : structOf(x, 8).getInt(4);
  }

  private static Boolean flag(Attrs a, int type) {
    Integer v = second(a, type);
    // the kernel reports -1 ("not supported by the driver") as 0xffffffff
    return v == null || v == -1 ? null : v != 0;
  }
}
