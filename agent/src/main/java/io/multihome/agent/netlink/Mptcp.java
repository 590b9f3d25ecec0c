package io.multihome.agent.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * MPTCP endpoints over generic netlink (the {@code mptcp_pm} family, Linux 5.7+): what {@code ip
 * mptcp endpoint} lists, adds and deletes. An endpoint is a local address the in-kernel path
 * manager uses, with its flags (signal, subflow, backup, fullmesh) and optionally its device.
 */
public final class Mptcp {
  private static final int GENL_ID_CTRL = 0x10;
  private static final int CTRL_CMD_GETFAMILY = 3;
  private static final int CTRL_ATTR_FAMILY_ID = 1;
  private static final int CTRL_ATTR_FAMILY_NAME = 2;
  static final int GENL_HDRLEN = 4;
  static final int CMD_ADD_ADDR = 1;
  static final int CMD_DEL_ADDR = 2;
  static final int CMD_GET_ADDR = 3;
  static final int ATTR_ADDR = 1;
  static final int ADDR_FAMILY = 1;
  static final int ADDR_ID = 2;
  static final int ADDR_ADDR4 = 3;
  static final int ADDR_ADDR6 = 4;
  static final int ADDR_FLAGS = 6;
  static final int ADDR_IF_IDX = 7;

  /** MPTCP_PM_ADDR_FLAG_* as nmstate names them, by bit. */
  public static final List<String> FLAG_NAMES = List.of("signal", "subflow", "backup", "fullmesh");

  private final RtNetlink genl;
  private final int family;

  private Mptcp(RtNetlink genl, int family) {
    this.genl = genl;
    this.family = family;
  }

  /** One endpoint; {@code ifindex} null when it names no device. */
  public record Endpoint(int id, InetAddress address, Integer ifindex, int flags) {
    /** nmstate's names of {@code flags}, in nmstate's order. */
    public List<String> flagNames() {
      return names(flags);
    }
  }

  public static List<String> names(int flags) {
    var out = new ArrayList<String>();
    for (int i = 0; i < FLAG_NAMES.size(); i++) {
      if ((flags & (1 << i)) != 0) {
        out.add(FLAG_NAMES.get(i));
      }
    }
    return out;
  }

  /** The bits of flags named as nmstate names them. */
  public static int bits(List<String> names) {
    int out = 0;
    for (var n : names) {
      int i = FLAG_NAMES.indexOf(n);
      if (i < 0) {
        throw new IllegalArgumentException("MPTCP flag " + n);
      }
      out |= 1 << i;
    }
    return out;
  }

  /** The family on {@code genl}, or null when the kernel has no MPTCP (CONFIG_MPTCP off). */
  public static Mptcp on(RtNetlink genl) {
    try {
      for (var m :
          genl.exchange(
              new Request(
                  "genl get family",
                  "mptcp_pm",
                  GENL_ID_CTRL,
                  0,
                  b -> {
                    header(b, CTRL_CMD_GETFAMILY);
                    b.attrString(CTRL_ATTR_FAMILY_NAME, "mptcp_pm");
                  }))) {
        var id = m.attrs(GENL_HDRLEN).u16(CTRL_ATTR_FAMILY_ID);
        if (id != null) {
          return new Mptcp(genl, id);
        }
      }
    } catch (NetlinkException e) {
      // ENOENT: no MPTCP in this kernel.
    }
    return null;
  }

  /** Every endpoint of the namespace. */
  public List<Endpoint> list() {
    var out = new ArrayList<Endpoint>();
    for (var m :
        genl.dump(
            new Request("mptcp endpoint show", "", family, 0, b -> header(b, CMD_GET_ADDR)))) {
      if (m.type() != family) {
        continue;
      }
      var a = m.attrs(GENL_HDRLEN).nested(ATTR_ADDR);
      var v4 = a.find(ADDR_ADDR4);
      var v6 = a.find(ADDR_ADDR6);
      var addr = v4 != null ? v4.address() : v6 != null ? v6.address() : null;
      var idx = a.u32(ADDR_IF_IDX);
      out.add(
          new Endpoint(
              a.u8(ADDR_ID) == null ? 0 : a.u8(ADDR_ID),
              addr,
              idx == null || idx == 0 ? null : idx,
              a.u32(ADDR_FLAGS) == null ? 0 : a.u32(ADDR_FLAGS)));
    }
    return out;
  }

  public void execute(Request r) {
    genl.execute(r);
  }

  /** {@code ip mptcp endpoint add ADDR dev IFINDEX FLAGS} (the kernel picks the id). */
  public Request addRequest(InetAddress address, Integer ifindex, int flags) {
    return new Request(
        "mptcp endpoint add",
        address.getHostAddress(),
        family,
        0,
        b -> {
          header(b, CMD_ADD_ADDR);
          int n = b.beginNested(ATTR_ADDR);
          boolean v4 = address instanceof Inet4Address;
          b.attrU16(ADDR_FAMILY, v4 ? Rtnl.AF_INET : Rtnl.AF_INET6);
          b.attrAddress(v4 ? ADDR_ADDR4 : ADDR_ADDR6, address);
          if (ifindex != null) {
            b.attrU32(ADDR_IF_IDX, ifindex);
          }
          b.attrU32(ADDR_FLAGS, flags);
          b.endNested(n);
        });
  }

  /** {@code ip mptcp endpoint delete id ID}. */
  public Request deleteRequest(int id) {
    return new Request(
        "mptcp endpoint delete",
        "id " + id,
        family,
        0,
        b -> {
          header(b, CMD_DEL_ADDR);
          int n = b.beginNested(ATTR_ADDR);
          b.attrU8(ADDR_ID, id);
          b.endNested(n);
        });
  }

  private static void header(MessageBuilder b, int cmd) {
    b.u8(cmd).u8(1).u16(0);
  }
}
