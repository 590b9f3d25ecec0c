package io.multihome.agent.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bridge port VLANs through AF_BRIDGE RTM_SETLINK/RTM_DELLINK with IFLA_AF_SPEC {
 * IFLA_BRIDGE_VLAN_INFO }. Needs a bridge with vlan_filtering for the kernel to apply them.
 */
public final class BridgeVlanOps {
  private final RtNetlink nl;

  BridgeVlanOps(RtNetlink nl) {
    this.nl = nl;
  }

  /** VLANs per link index, ranges kept compressed as the kernel reports them. */
  public Map<Integer, List<BridgeVlan>> list() {
    var r =
        LinkOps.dumpRequest(
            "bridge vlan list", Rtnl.AF_BRIDGE, Rtnl.Ifla.RTEXT_FILTER_BRVLAN_COMPRESSED);
    var out = new LinkedHashMap<Integer, List<BridgeVlan>>();
    for (NlMessage m : nl.dump(r)) {
      if (m.type() != Rtnl.RTM_NEWLINK) {
        continue;
      }
      Attr spec = m.attrs(IfInfoMsg.LEN).find(Rtnl.Ifla.AF_SPEC);
      if (spec != null) {
        out.put(IfInfoMsg.read(m).index(), readVlans(spec.nestedAttrs()));
      }
    }
    return out;
  }

  public void add(int portIndex, BridgeVlan vlan, boolean self) {
    nl.execute(addRequest(portIndex, vlan, self));
  }

  public void delete(int portIndex, BridgeVlan vlan, boolean self) {
    nl.execute(deleteRequest(portIndex, vlan, self));
  }

  /** {@code self}: apply to the bridge device itself (IFLA_BRIDGE_FLAGS SELF). */
  public static Request addRequest(int portIndex, BridgeVlan vlan, boolean self) {
    return request("bridge vlan add", Rtnl.RTM_SETLINK, portIndex, vlan, self);
  }

  public static Request deleteRequest(int portIndex, BridgeVlan vlan, boolean self) {
    return request("bridge vlan delete", Rtnl.RTM_DELLINK, portIndex, vlan, self);
  }

  private static Request request(String op, int type, int index, BridgeVlan v, boolean self) {
    return new Request(
        op,
        "vid " + v.vid() + (v.vidEnd() != v.vid() ? "-" + v.vidEnd() : "") + " dev index " + index,
        type,
        0,
        b -> {
          IfInfoMsg.of(Rtnl.AF_BRIDGE, index).write(b);
          int spec = b.beginNestedPlain(Rtnl.Ifla.AF_SPEC);
          if (self) {
            b.attrU16(Rtnl.BridgeAf.FLAGS, Rtnl.BridgeAf.FLAGS_SELF);
          }
          int flags =
              (v.pvid() ? Rtnl.BridgeAf.VLAN_INFO_PVID : 0)
                  | (v.untagged() ? Rtnl.BridgeAf.VLAN_INFO_UNTAGGED : 0);
          if (v.vidEnd() == v.vid()) {
            b.attr(Rtnl.BridgeAf.VLAN_INFO, vlanInfo(flags, v.vid()));
          } else {
            b.attr(
                Rtnl.BridgeAf.VLAN_INFO,
                vlanInfo(flags | Rtnl.BridgeAf.VLAN_INFO_RANGE_BEGIN, v.vid()));
            b.attr(
                Rtnl.BridgeAf.VLAN_INFO,
                vlanInfo(flags | Rtnl.BridgeAf.VLAN_INFO_RANGE_END, v.vidEnd()));
          }
          b.endNested(spec);
        });
  }

  static byte[] vlanInfo(int flags, int vid) {
    return ByteBuffer.allocate(4)
        .order(ByteOrder.nativeOrder())
        .putShort((short) flags)
        .putShort((short) vid)
        .array();
  }

  /** Reads IFLA_BRIDGE_VLAN_INFO entries, joining RANGE_BEGIN/RANGE_END pairs. */
  static List<BridgeVlan> readVlans(Attrs spec) {
    var out = new ArrayList<BridgeVlan>();
    Integer rangeStart = null;
    for (Attr a : spec.all(Rtnl.BridgeAf.VLAN_INFO)) {
      if (a.length() < 4) {
        throw new MalformedMessageException("bridge_vlan_info of " + a.length() + " bytes");
      }
      ByteBuffer v = a.value().duplicate().order(ByteOrder.nativeOrder());
      int flags = Short.toUnsignedInt(v.getShort(0));
      int vid = Short.toUnsignedInt(v.getShort(2));
      boolean pvid = (flags & Rtnl.BridgeAf.VLAN_INFO_PVID) != 0;
      boolean untagged = (flags & Rtnl.BridgeAf.VLAN_INFO_UNTAGGED) != 0;
      if ((flags & Rtnl.BridgeAf.VLAN_INFO_RANGE_BEGIN) != 0) {
        rangeStart = vid;
      } else if ((flags & Rtnl.BridgeAf.VLAN_INFO_RANGE_END) != 0) {
        if (rangeStart == null) {
          throw new MalformedMessageException("bridge vlan RANGE_END without RANGE_BEGIN");
        }
        out.add(new BridgeVlan(rangeStart, vid, false, untagged));
        rangeStart = null;
      } else {
        out.add(new BridgeVlan(vid, vid, pvid, untagged));
      }
    }
    return out;
  }
}
