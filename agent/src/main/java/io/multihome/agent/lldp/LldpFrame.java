package io.multihome.agent.lldp;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * One received LLDPDU (IEEE 802.1AB) as nmstate reports it in {@code lldp.neighbors}: a list of TLV
 * objects in nmstate's order — system name (5), system description (6), system capabilities (7),
 * chassis id (1), port id (2), then IEEE 802.1 VLAN names, 802.3 MAC/PHY configuration, 802.1
 * port-and-protocol VLAN ids, management addresses (8) and 802.3 maximum frame size. Parsing
 * follows NetworkManager's listener (whose output nmstate reformats): a frame is valid with exactly
 * one chassis id, port id and TTL and a well-formed end TLV; strings lose trailing NULs and have
 * control and non-ASCII bytes escaped.
 */
public final class LldpFrame {
  public static final int ETHERTYPE = 0x88cc;

  /** Nearest bridge, nearest non-TPMR bridge, nearest customer bridge. */
  static final List<byte[]> DESTINATIONS = List.of(mac(0x0e), mac(0x03), mac(0x00));

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final byte[] OUI_8021 = {0x00, (byte) 0x80, (byte) 0xc2};
  private static final byte[] OUI_8023 = {0x00, 0x12, 0x0f};
  private static final String[] CAPABILITIES = {
    "Other",
    "Repeater",
    "MAC Bridge component",
    "802.11 Access Point (AP)",
    "Router",
    "Telephone",
    "DOCSIS cable device",
    "Station Only",
    "C-VLAN component",
    "S-VLAN component",
    "Two-port MAC Relay component"
  };
  private static final String[] CHASSIS_TYPES = {
    "Reserved",
    "Chasis compontent",
    "Interface alias",
    "Port component",
    "MAC address",
    "Network address",
    "Interface name",
    "Locally assigned"
  };
  private static final String[] PORT_TYPES = {
    "Reserved",
    "Interface alias",
    "Port component",
    "MAC address",
    "Network address",
    "Interface name",
    "Agent circuit ID",
    "Locally assigned"
  };

  private LldpFrame() {}

  /**
   * A neighbour: its identity (chassis id and port id bytes, which NetworkManager keys neighbours
   * by), time to live in seconds (0: the neighbour leaves) and the TLVs nmstate shows.
   */
  public record Neighbor(String key, int ttl, ArrayNode tlvs) {}

  private static byte[] mac(int last) {
    return new byte[] {0x01, (byte) 0x80, (byte) 0xc2, 0x00, 0x00, (byte) last};
  }

  /** The frame (from its Ethernet header on) as a neighbour, or null when it is not valid. */
  public static Neighbor parse(byte[] frame) {
    if (frame.length < 14 || (((frame[12] & 0xff) << 8) | (frame[13] & 0xff)) != ETHERTYPE) {
      return null;
    }
    var dst = Arrays.copyOfRange(frame, 0, 6);
    if (DESTINATIONS.stream().noneMatch(d -> Arrays.equals(d, dst))) {
      return null;
    }
    byte[] chassis = null;
    byte[] port = null;
    Integer ttl = null;
    String sysName = null;
    String sysDesc = null;
    Integer caps = null;
    var vlans = JSON.arrayNode();
    ObjectNode macPhy = null;
    var ppvids = JSON.arrayNode();
    boolean hasPpvids = false;
    var mgmt = JSON.arrayNode();
    boolean hasMgmt = false;
    Integer maxFrame = null;
    int p = 14;
    while (true) {
      if (frame.length - p < 2) {
        return null;
      }
      int type = (frame[p] & 0xff) >> 1;
      int len = ((frame[p] & 1) << 8) | (frame[p + 1] & 0xff);
      p += 2;
      if (frame.length - p < len) {
        return null;
      }
      var v = Arrays.copyOfRange(frame, p, p + len);
      p += len;
      switch (type) {
        case 0 -> {
          if (len != 0) {
            return null;
          }
        }
        case 1 -> {
          if (len < 2 || len > 256 || chassis != null) {
            return null;
          }
          chassis = v;
        }
        case 2 -> {
          if (len < 2 || len > 256 || port != null) {
            return null;
          }
          port = v;
        }
        case 3 -> {
          if (len != 2 || ttl != null) {
            return null;
          }
          ttl = u16(v, 0);
        }
        case 5 -> sysName = sysName == null ? string(v) : sysName;
        case 6 -> sysDesc = sysDesc == null ? string(v) : sysDesc;
        case 7 -> {
          if (len != 4) {
            return null;
          }
          caps = u16(v, 0);
        }
        case 8 -> {
          var a = managementAddress(v);
          if (a != null) {
            mgmt.add(a);
            hasMgmt = true;
          }
        }
        case 127 -> {
          if (len < 4) {
            return null;
          }
          var oui = Arrays.copyOfRange(v, 0, 3);
          int subtype = v[3] & 0xff;
          var d = Arrays.copyOfRange(v, 4, v.length);
          if (Arrays.equals(oui, OUI_8021)) {
            if (subtype == 2 && d.length == 3) {
              ppvids.add(u16(d, 1));
              hasPpvids = true;
            } else if (subtype == 3 && d.length > 3) {
              int l = d[2] & 0xff;
              if (d.length == 3 + l && l <= 32) {
                // NetworkManager's output (and so nmstate's) has no trailing NUL in the name.
                int end = 3 + l;
                while (end > 3 && d[end - 1] == 0) {
                  end--;
                }
                vlans
                    .addObject()
                    .put("name", escape(Arrays.copyOfRange(d, 3, end)))
                    .put("vid", u16(d, 0));
              }
            }
          } else if (Arrays.equals(oui, OUI_8023)) {
            if (subtype == 1 && d.length == 5 && macPhy == null) {
              macPhy =
                  JSON.objectNode()
                      .put("autoneg", (d[0] & 0xff) > 0)
                      .put("operational-mau-type", u16(d, 3))
                      .put("pmd-autoneg-cap", u16(d, 1));
            } else if (subtype == 4 && d.length == 2 && maxFrame == null) {
              maxFrame = u16(d, 0);
            }
          }
        }
        default -> {
          // port description and other TLVs: nmstate does not report them
        }
      }
      if (type == 0) {
        break;
      }
    }
    if (chassis == null || port == null || ttl == null) {
      return null;
    }
    var tlvs = JSON.arrayNode();
    if (sysName != null) {
      tlvs.addObject().put("type", 5).put("system-name", sysName);
    }
    if (sysDesc != null) {
      tlvs.addObject().put("type", 6).put("system-description", sysDesc);
    }
    if (caps != null) {
      var o = tlvs.addObject().put("type", 7);
      var list = o.putArray("system-capabilities");
      for (int bit = 0; bit < CAPABILITIES.length; bit++) {
        if ((caps & (1 << bit)) != 0) {
          list.add(CAPABILITIES[bit]);
        }
      }
    }
    int ct = chassis[0] & 0xff;
    tlvs.addObject()
        .put("type", 1)
        .put(
            "chassis-id",
            idString(
                chassis, ct == 4, ct == 5, ct == 1 || ct == 2 || ct == 3 || ct == 6 || ct == 7))
        .put("chassis-id-type", ct)
        .put("_description", ct < CHASSIS_TYPES.length ? CHASSIS_TYPES[ct] : "Reserved");
    int pt = port[0] & 0xff;
    tlvs.addObject()
        .put("type", 2)
        .put("port-id", idString(port, pt == 3, pt == 4, pt == 1 || pt == 2 || pt == 5 || pt == 7))
        .put("port-id-type", pt)
        .put("_description", pt < PORT_TYPES.length ? PORT_TYPES[pt] : "Reserved");
    if (!vlans.isEmpty()) {
      var o = tlvs.addObject().put("type", 127);
      o.set("ieee-802-1-vlans", vlans);
      o.put("oui", "00:80:c2").put("subtype", 3);
    }
    if (macPhy != null) {
      var o = tlvs.addObject().put("type", 127);
      o.set("ieee-802-3-mac-phy-conf", macPhy);
      o.put("oui", "00:12:0f").put("subtype", 1);
    }
    if (hasPpvids) {
      var o = tlvs.addObject().put("type", 127);
      o.set("ieee-802-1-ppvids", ppvids);
      o.put("oui", "00:80:c2").put("subtype", 2);
    }
    if (hasMgmt) {
      var o = tlvs.addObject().put("type", 8);
      o.set("management-addresses", mgmt);
    }
    if (maxFrame != null) {
      tlvs.addObject()
          .put("type", 127)
          .put("ieee-802-3-max-frame-size", maxFrame)
          .put("oui", "00:12:0f")
          .put("subtype", 4);
    }
    var key = HexFormat.of().formatHex(chassis) + "/" + HexFormat.of().formatHex(port);
    return new Neighbor(key, ttl, tlvs);
  }

  /** 802.1AB-2009 figure 8-11; null when malformed or of a family nmstate does not show. */
  private static ObjectNode managementAddress(byte[] v) {
    if (v.length < 9) {
      return null;
    }
    int addrLen = v[0] & 0xff; // subtype + address
    if (addrLen < 2 || addrLen > 32 || v.length < 1 + addrLen + 5 + 1) {
      return null;
    }
    int subtype = v[1] & 0xff;
    var addr = Arrays.copyOfRange(v, 2, 1 + addrLen);
    int at = 1 + addrLen;
    int ifSubtype = v[at] & 0xff;
    long ifNumber = Integer.toUnsignedLong(u32(v, at + 1));
    int oidLen = v[at + 5] & 0xff;
    if (v.length < at + 6 + oidLen) {
      return null;
    }
    String text;
    String family;
    try {
      if (subtype == 1 && addr.length == 4) {
        text = InetAddress.getByAddress(addr).getHostAddress();
        family = "IPv4";
      } else if (subtype == 2 && addr.length == 16) {
        text = io.multihome.agent.engine.Ips.text(InetAddress.getByAddress(addr));
        family = "IPv6";
      } else if (subtype == 6) {
        text = macText(addr);
        family = "MAC";
      } else {
        return null;
      }
    } catch (UnknownHostException e) {
      return null;
    }
    var o = JSON.objectNode().put("address", text).put("address-subtype", family);
    // An int where it fits, as a YAML or JSON reader gives it back.
    if (ifNumber <= Integer.MAX_VALUE) {
      o.put("interface-number", (int) ifNumber);
    } else {
      o.put("interface-number", ifNumber);
    }
    return o.put("interface-number-subtype", ifSubtype);
  }

  /**
   * A chassis or port id as text (NetworkManager's rules): a MAC address in upper-case hex pairs, a
   * network address (IANA family 1 or 2) as an IP address, the textual subtypes escaped, and
   * anything else (or a malformed value) as lower-case hex of the whole id, subtype included.
   */
  private static String idString(byte[] id, boolean macType, boolean networkType, boolean text) {
    var value = Arrays.copyOfRange(id, 1, id.length);
    if (text) {
      return escape(value);
    }
    if (macType && value.length == 6) {
      return macText(value);
    }
    if (networkType) {
      try {
        if (value.length == 5 && value[0] == 1) {
          return InetAddress.getByAddress(Arrays.copyOfRange(value, 1, 5)).getHostAddress();
        }
        if (value.length == 17 && value[0] == 2) {
          return io.multihome.agent.engine.Ips.text(
              InetAddress.getByAddress(Arrays.copyOfRange(value, 1, 17)));
        }
      } catch (UnknownHostException e) {
        // fall back to hex
      }
    }
    return HexFormat.of().formatHex(id);
  }

  private static String macText(byte[] b) {
    var parts = new ArrayList<String>();
    for (byte x : b) {
      parts.add(String.format(Locale.ROOT, "%02X", x & 0xff));
    }
    return String.join(":", parts);
  }

  /** A string TLV: trailing NULs dropped; empty or with an inner NUL it is ignored (null). */
  private static String string(byte[] v) {
    int n = v.length;
    while (n > 0 && v[n - 1] == 0) {
      n--;
    }
    if (n == 0) {
      return null;
    }
    for (int i = 0; i < n; i++) {
      if (v[i] == 0) {
        return null;
      }
    }
    return escape(Arrays.copyOf(v, n));
  }

  /** Control characters, non-ASCII bytes and backslashes as {@code \ooo} octal escapes. */
  static String escape(byte[] v) {
    var sb = new StringBuilder(v.length);
    for (byte x : v) {
      int c = x & 0xff;
      if (c < 0x20 || c >= 0x7f || c == '\\') {
        sb.append('\\').append(String.format(Locale.ROOT, "%03o", c));
      } else {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  private static int u16(byte[] b, int at) {
    return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
  }

  private static int u32(byte[] b, int at) {
    return ((b[at] & 0xff) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }
}
