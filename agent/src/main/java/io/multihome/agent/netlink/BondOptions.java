package io.multihome.agent.netlink;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bond options beyond the common ones {@link LinkKind.Bond} types: each nmstate name with its
 * IFLA_BOND_* attribute and wire form. Values travel as text in nmstate's spelling (a number, an
 * enum name, {@code true}/{@code false}, a MAC, or a comma-separated address list), so a bond's
 * options compare, print and checkpoint the same way.
 */
public final class BondOptions {
  private BondOptions() {}

  /** How an attribute is laid out. */
  public enum Wire {
    U8,
    U16,
    U32,
    BOOL,
    MAC,
    IP4_LIST,
    IP6_LIST
  }

  /** One option; {@code names} spells an enumeration's values by number (null: not an enum). */
  public record Option(String name, int attr, Wire wire, List<String> names) {
    /** The value to show: a number, a boolean or text. */
    public boolean numeric() {
      return names == null && (wire == Wire.U8 || wire == Wire.U16 || wire == Wire.U32);
    }
  }

  private static final List<Option> ALL =
      List.of(
          new Option("use_carrier", 6, Wire.BOOL, null),
          new Option("arp_interval", 7, Wire.U32, null),
          new Option("arp_ip_target", 8, Wire.IP4_LIST, null),
          new Option(
              "arp_validate",
              9,
              Wire.U32,
              List.of(
                  "none", "active", "backup", "all", "filter", "filter_active", "filter_backup")),
          new Option("arp_all_targets", 10, Wire.U32, List.of("any", "all")),
          new Option("primary_reselect", 12, Wire.U8, List.of("always", "better", "failure")),
          new Option("fail_over_mac", 13, Wire.U8, List.of("none", "active", "follow")),
          new Option("resend_igmp", 15, Wire.U32, null),
          // The kernel has one counter for both names (IFLA_BOND_NUM_PEER_NOTIF).
          new Option("num_grat_arp", 16, Wire.U8, null),
          new Option("num_unsol_na", 16, Wire.U8, null),
          new Option("all_slaves_active", 17, Wire.U8, List.of("dropped", "delivered")),
          new Option("lp_interval", 19, Wire.U32, null),
          new Option("packets_per_slave", 20, Wire.U32, null),
          new Option("ad_select", 22, Wire.U8, List.of("stable", "bandwidth", "count")),
          new Option("ad_actor_sys_prio", 24, Wire.U16, null),
          new Option("ad_user_port_key", 25, Wire.U16, null),
          new Option("ad_actor_system", 26, Wire.MAC, null),
          new Option("tlb_dynamic_lb", 27, Wire.BOOL, null),
          new Option("peer_notif_delay", 28, Wire.U32, null),
          new Option("lacp_active", 29, Wire.U8, List.of("off", "on")),
          new Option("arp_missed_max", 30, Wire.U8, null),
          new Option("ns_ip6_target", 31, Wire.IP6_LIST, null));

  private static final Map<String, Option> BY_NAME = new LinkedHashMap<>();

  static {
    ALL.forEach(o -> BY_NAME.put(o.name(), o));
  }

  /** The option named {@code name} (nmstate's spelling), or null. */
  public static Option byName(String name) {
    return BY_NAME.get(name);
  }

  /** Every option, in nmstate's order. */
  public static List<Option> all() {
    return ALL;
  }

  /**
   * {@code value} (as nmstate takes it: a number or its text, an enum name or number, a boolean, a
   * MAC, addresses separated by commas) in this class's spelling; throws {@link
   * IllegalArgumentException} with the reason when it is not valid for {@code o}.
   */
  public static String canonical(Option o, Object value) {
    var text = String.valueOf(value).strip();
    switch (o.wire()) {
      case BOOL -> {
        if (text.equals("true") || text.equals("1")) {
          return "true";
        }
        if (text.equals("false") || text.equals("0")) {
          return "false";
        }
        throw new IllegalArgumentException("must be true or false, not " + value);
      }
      case MAC -> {
        try {
          return HwAddr.parse(text).toString().toUpperCase(Locale.ROOT);
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("'" + value + "' is not a MAC address");
        }
      }
      case IP4_LIST, IP6_LIST -> {
        var out = new ArrayList<String>();
        for (var part : text.split(",")) {
          if (part.isBlank()) {
            continue;
          }
          InetAddress a;
          try {
            a = IpPrefix.parseAddress(part.strip());
          } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + part.strip() + "' is not an IP address");
          }
          boolean v4 = a instanceof Inet4Address;
          if (v4 != (o.wire() == Wire.IP4_LIST)) {
            throw new IllegalArgumentException(
                "'" + part.strip() + "' is not an IPv" + (v4 ? 6 : 4) + " address");
          }
          out.add(text(a));
        }
        if (out.size() > 16) {
          throw new IllegalArgumentException("at most 16 targets, not " + out.size());
        }
        return String.join(",", out);
      }
      default -> {
        if (o.names() != null) {
          int i = o.names().indexOf(text);
          if (i >= 0) {
            return text;
          }
          if (text.matches("\\d+") && Integer.parseInt(text) < o.names().size()) {
            return o.names().get(Integer.parseInt(text));
          }
          throw new IllegalArgumentException("must be one of " + String.join(", ", o.names()));
        }
        long n;
        try {
          n = Long.parseLong(text);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("must be a non-negative integer, not " + value);
        }
        long max = o.wire() == Wire.U8 ? 0xff : o.wire() == Wire.U16 ? 0xffff : 0xffffffffL;
        if (n < 0 || n > max) {
          throw new IllegalArgumentException(n + " is out of 0.." + max);
        }
        return Long.toString(n);
      }
    }
  }

  /** Writes the given options (attribute → text) inside IFLA_INFO_DATA. */
  public static void write(MessageBuilder b, Map<Integer, String> values) {
    values.forEach(
        (attr, text) -> {
          var o = forAttr(attr);
          switch (o.wire()) {
            case BOOL -> b.attrU8(attr, text.equals("true") ? 1 : 0);
            case MAC -> b.attr(attr, HwAddr.parse(text).bytes());
            case IP4_LIST, IP6_LIST -> {
              int n = b.beginNestedPlain(attr);
              int i = 0;
              for (var part : text.isEmpty() ? new String[0] : text.split(",")) {
                b.attrAddress(i++, IpPrefix.parseAddress(part));
              }
              b.endNested(n);
            }
            default -> {
              long v = o.names() != null ? o.names().indexOf(text) : Long.parseLong(text);
              switch (o.wire()) {
                case U8 -> b.attrU8(attr, (int) v);
                case U16 -> b.attrU16(attr, (int) v);
                default -> b.attrU32(attr, (int) v);
              }
            }
          }
        });
  }

  /** The options a bond reports, by attribute. */
  static Map<Integer, String> read(Attrs d) {
    var out = new TreeMap<Integer, String>();
    for (var o : ALL) {
      var a = d.find(o.attr());
      if (a == null || out.containsKey(o.attr())) {
        continue;
      }
      out.put(
          o.attr(),
          switch (o.wire()) {
            case BOOL -> a.u8() != 0 ? "true" : "false";
            case MAC -> HwAddr.of(a.bytes()).toString().toUpperCase(Locale.ROOT);
            case IP4_LIST, IP6_LIST -> addresses(a, o.wire() == Wire.IP6_LIST);
            default -> {
              long v =
                  switch (o.wire()) {
                    case U8 -> a.u8();
                    case U16 -> a.u16();
                    default -> Integer.toUnsignedLong(a.u32());
                  };
              yield o.names() != null && v < o.names().size()
                  ? o.names().get((int) v)
                  : Long.toString(v);
            }
          });
    }
    return out;
  }

  private static String addresses(Attr a, boolean v6) {
    var out = new ArrayList<String>();
    for (var t : a.nestedAttrs().list()) {
      var bytes = t.bytes();
      boolean zero = true;
      for (var x : bytes) {
        zero &= x == 0;
      }
      if (zero || bytes.length != (v6 ? 16 : 4)) {
        continue;
      }
      try {
        var addr = InetAddress.getByAddress(bytes);
        out.add(text(addr));
      } catch (java.net.UnknownHostException e) {
        throw new MalformedMessageException("bond target of " + bytes.length + " bytes");
      }
    }
    return String.join(",", out);
  }

  /** An address as nmstate writes it (IPv6 with the longest run of zero groups as ::). */
  static String text(InetAddress a) {
    if (!(a instanceof Inet6Address)) {
      return a.getHostAddress();
    }
    var b = a.getAddress();
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestAt = -1;
    int best = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > best) {
        best = j - i;
        bestAt = i;
      }
      i = j == i ? i + 1 : j;
    }
    var sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestAt) {
        sb.append("::");
        i += best - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  private static Option forAttr(int attr) {
    for (var o : ALL) {
      if (o.attr() == attr) {
        return o;
      }
    }
    throw new IllegalArgumentException("bond attribute " + attr);
  }
}
