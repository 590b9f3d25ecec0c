package io.multihome.agent.netlink;

import java.util.List;

/**
 * ethtool over generic netlink (the {@code ethtool} family, Linux 5.6+): a link's speed, duplex and
 * auto-negotiation (ETHTOOL_MSG_LINKMODES_GET), what {@code ethtool DEV} prints.
 */
public final class Ethtool {
  private static final int GENL_ID_CTRL = 0x10;
  private static final int CTRL_CMD_GETFAMILY = 3;
  private static final int CTRL_ATTR_FAMILY_ID = 1;
  private static final int CTRL_ATTR_FAMILY_NAME = 2;
  private static final int GENL_HDRLEN = 4;
  private static final int ETHTOOL_MSG_LINKMODES_GET = 4;
  private static final int ETHTOOL_A_LINKMODES_HEADER = 1;
  private static final int ETHTOOL_A_LINKMODES_AUTONEG = 2;
  private static final int ETHTOOL_A_LINKMODES_SPEED = 5;
  private static final int ETHTOOL_A_LINKMODES_DUPLEX = 6;
  private static final int ETHTOOL_A_HEADER_DEV_NAME = 2;
  private static final int SPEED_UNKNOWN = -1;
  private static final int DUPLEX_HALF = 0;
  private static final int DUPLEX_FULL = 1;

  private final RtNetlink genl;
  private final int family;

  private Ethtool(RtNetlink genl, int family) {
    this.genl = genl;
    this.family = family;
  }

  /** The ethtool family on {@code genl}, or null when the kernel has no ethtool netlink. */
  public static Ethtool on(RtNetlink genl) {
    try {
      var replies =
          genl.exchange(
              new Request(
                  "genl get family",
                  "ethtool",
                  GENL_ID_CTRL,
                  0,
                  b -> {
                    header(b, CTRL_CMD_GETFAMILY, 1);
                    b.attrString(CTRL_ATTR_FAMILY_NAME, "ethtool");
                  }));
      for (var m : replies) {
        var id = m.attrs(GENL_HDRLEN).u16(CTRL_ATTR_FAMILY_ID);
        if (id != null) {
          return new Ethtool(genl, id);
        }
      }
    } catch (NetlinkException e) {
      // ENOENT: CONFIG_ETHTOOL_NETLINK is off.
    }
    return null;
  }

  /**
   * Speed in Mb/s (null: unknown), duplex ({@code full}, {@code half}, null: unknown) and
   * auto-negotiation of a link; null when the driver reports no link modes (loopback, ...).
   */
  public record LinkModes(Integer speed, String duplex, Boolean autoNegotiation) {}

  public LinkModes linkModes(String dev) {
    List<NlMessage> replies;
    try {
      replies =
          genl.exchange(
              new Request(
                  "ethtool linkmodes get",
                  dev,
                  family,
                  0,
                  b -> {
                    header(b, ETHTOOL_MSG_LINKMODES_GET, 1);
                    int h = b.beginNested(ETHTOOL_A_LINKMODES_HEADER);
                    b.attrString(ETHTOOL_A_HEADER_DEV_NAME, dev);
                    b.endNested(h);
                  }));
    } catch (NetlinkException e) {
      return null;
    }
    for (var m : replies) {
      var a = m.attrs(GENL_HDRLEN);
      var speed = a.u32(ETHTOOL_A_LINKMODES_SPEED);
      var duplex = a.u8(ETHTOOL_A_LINKMODES_DUPLEX);
      var autoneg = a.u8(ETHTOOL_A_LINKMODES_AUTONEG);
      return new LinkModes(
          speed == null || speed == SPEED_UNKNOWN ? null : speed,
          duplex == null
              ? null
              : duplex == DUPLEX_FULL ? "full" : duplex == DUPLEX_HALF ? "half" : null,
          autoneg == null ? null : autoneg != 0);
    }
    return null;
  }

  /** Features, pause, rings and coalescing over the same family. */
  public EthtoolOps settings() {
    return new EthtoolOps(genl, family);
  }

  private static void header(MessageBuilder b, int cmd, int version) {
    b.u8(cmd).u8(version).u16(0);
  }
}
