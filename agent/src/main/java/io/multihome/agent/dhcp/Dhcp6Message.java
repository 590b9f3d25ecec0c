package io.multihome.agent.dhcp;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One DHCPv6 client/server message (RFC 8415 §8): type, 24-bit transaction id, options in order (an
 * option may repeat). Nested options (IA_NA, IAADDR) are decoded by {@link #options(byte[], int)}.
 */
public record Dhcp6Message(int type, int xid, List<Option> options) {
  public static final int SOLICIT = 1;
  public static final int ADVERTISE = 2;
  public static final int REQUEST = 3;
  public static final int RENEW = 5;
  public static final int REBIND = 6;
  public static final int REPLY = 7;
  public static final int RELEASE = 8;

  public static final int OPT_CLIENTID = 1;
  public static final int OPT_SERVERID = 2;
  public static final int OPT_IA_NA = 3;
  public static final int OPT_IAADDR = 5;
  public static final int OPT_ORO = 6;
  public static final int OPT_ELAPSED_TIME = 8;
  public static final int OPT_STATUS_CODE = 13;
  public static final int OPT_DNS_SERVERS = 23;
  public static final int OPT_DOMAIN_LIST = 24;

  public static final int STATUS_NO_ADDRS_AVAIL = 2;
  public static final int STATUS_NO_BINDING = 3;

  /** One option: code and raw value. */
  public record Option(int code, byte[] value) {}

  public Dhcp6Message {
    options = List.copyOf(options);
  }

  public byte[] option(int code) {
    for (var o : options) {
      if (o.code() == code) {
        return o.value();
      }
    }
    return null;
  }

  public byte[] encode() {
    int len = 4;
    for (var o : options) {
      len += 4 + o.value().length;
    }
    var b = ByteBuffer.allocate(len);
    b.putInt((type << 24) | (xid & 0xffffff));
    for (var o : options) {
      b.putShort((short) o.code()).putShort((short) o.value().length).put(o.value());
    }
    return b.array();
  }

  public static Dhcp6Message decode(byte[] data, int len) {
    if (len < 4) {
      throw new IllegalArgumentException("DHCPv6 message too short");
    }
    int head = ByteBuffer.wrap(data, 0, 4).getInt();
    return new Dhcp6Message(head >>> 24, head & 0xffffff, options(data, 4, len));
  }

  /** Options in {@code data[from..to)}; throws on one that runs past the end. */
  static List<Option> options(byte[] data, int from, int to) {
    var out = new ArrayList<Option>();
    int i = from;
    while (i + 4 <= to) {
      int code = ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
      int n = ((data[i + 2] & 0xff) << 8) | (data[i + 3] & 0xff);
      i += 4;
      if (i + n > to) {
        throw new IllegalArgumentException("DHCPv6 option " + code + " runs past the message");
      }
      out.add(new Option(code, Arrays.copyOfRange(data, i, i + n)));
      i += n;
    }
    return out;
  }

  static List<Option> options(byte[] value, int from) {
    return options(value, from, value.length);
  }

  /** An IA_NA: IAID, T1, T2 and its addresses (with lifetimes) or its status code. */
  record IaNa(long iaid, long t1, long t2, List<IaAddr> addresses, Integer status) {
    static IaNa decode(byte[] v) {
      if (v.length < 12) {
        throw new IllegalArgumentException("IA_NA too short");
      }
      var b = ByteBuffer.wrap(v);
      long iaid = Integer.toUnsignedLong(b.getInt());
      long t1 = Integer.toUnsignedLong(b.getInt());
      long t2 = Integer.toUnsignedLong(b.getInt());
      var addrs = new ArrayList<IaAddr>();
      Integer status = null;
      for (var o : options(v, 12)) {
        if (o.code() == OPT_IAADDR && o.value().length >= 24) {
          var a = ByteBuffer.wrap(o.value());
          byte[] ip = new byte[16];
          a.get(ip);
          long pref = Integer.toUnsignedLong(a.getInt());
          long valid = Integer.toUnsignedLong(a.getInt());
          Integer st = null;
          for (var inner : options(o.value(), 24)) {
            if (inner.code() == OPT_STATUS_CODE && inner.value().length >= 2) {
              st = ((inner.value()[0] & 0xff) << 8) | (inner.value()[1] & 0xff);
            }
          }
          if (st == null || st == 0) {
            addrs.add(new IaAddr(v6(ip), pref, valid));
          }
        } else if (o.code() == OPT_STATUS_CODE && o.value().length >= 2) {
          status = ((o.value()[0] & 0xff) << 8) | (o.value()[1] & 0xff);
        }
      }
      return new IaNa(iaid, t1, t2, addrs, status);
    }

    static byte[] encode(long iaid, long t1, long t2, IaAddr addr) {
      var b = ByteBuffer.allocate(12 + (addr == null ? 0 : 28));
      b.putInt((int) iaid).putInt((int) t1).putInt((int) t2);
      if (addr != null) {
        b.putShort((short) OPT_IAADDR).putShort((short) 24);
        b.put(addr.address().getAddress());
        b.putInt((int) addr.preferred()).putInt((int) addr.valid());
      }
      return b.array();
    }
  }

  /** An IAADDR: the address and its preferred/valid lifetimes in seconds. */
  record IaAddr(Inet6Address address, long preferred, long valid) {}

  static Inet6Address v6(byte[] a) {
    try {
      return (Inet6Address) InetAddress.getByAddress(a);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static List<String> addresses(byte[] v) {
    var out = new ArrayList<String>();
    for (int i = 0; v != null && i + 16 <= v.length; i += 16) {
      out.add(text(v6(Arrays.copyOfRange(v, i, i + 16))));
    }
    return out;
  }

  /** RFC 5952 text: lower case, the longest run of two or more zero groups as {@code ::}. */
  static String text(Inet6Address a) {
    byte[] b = a.getAddress();
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int best = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        best = i;
        bestLen = j - i;
      }
      i = j;
    }
    var sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == best) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  public static String typeName(int type) {
    return switch (type) {
      case SOLICIT -> "SOLICIT";
      case ADVERTISE -> "ADVERTISE";
      case REQUEST -> "REQUEST";
      case RENEW -> "RENEW";
      case REBIND -> "REBIND";
      case REPLY -> "REPLY";
      case RELEASE -> "RELEASE";
      default -> "DHCPv6(" + type + ")";
    };
  }
}
