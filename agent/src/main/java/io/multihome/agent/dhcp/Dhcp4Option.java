package io.multihome.agent.dhcp;

import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** DHCPv4 option codes the client uses and decoders for their values (RFC 2132, 3397, 3442). */
public final class Dhcp4Option {
  public static final int PAD = 0;
  public static final int SUBNET_MASK = 1;
  public static final int ROUTER = 3;
  public static final int DNS = 6;
  public static final int HOSTNAME = 12;
  public static final int DOMAIN_NAME = 15;
  public static final int STATIC_ROUTES = 33;
  public static final int MTU = 26;
  public static final int REQUESTED_IP = 50;
  public static final int LEASE_TIME = 51;
  public static final int OVERLOAD = 52;
  public static final int MESSAGE_TYPE = 53;
  public static final int SERVER_ID = 54;
  public static final int PARAMETERS = 55;
  public static final int MESSAGE = 56;
  public static final int MAX_SIZE = 57;
  public static final int T1 = 58;
  public static final int T2 = 59;
  public static final int CLIENT_ID = 61;
  public static final int DOMAIN_SEARCH = 119;
  public static final int CLASSLESS_ROUTES = 121;
  public static final int END = 255;

  /** What the client asks for (option 55). */
  static final byte[] REQUESTED =
      new byte[] {
        SUBNET_MASK,
        ROUTER,
        DNS,
        DOMAIN_NAME,
        STATIC_ROUTES,
        LEASE_TIME,
        T1,
        T2,
        (byte) DOMAIN_SEARCH,
        (byte) CLASSLESS_ROUTES
      };

  private Dhcp4Option() {}

  /** One route from option 121 or 33: {@code prefix} bits of {@code destination} via router. */
  public record Route(String destination, int prefix, String router) {
    Route(Inet4Address destination, int prefix, Inet4Address router) {
      this(destination.getHostAddress(), prefix, router.getHostAddress());
    }

    public String cidr() {
      return destination + "/" + prefix;
    }

    /** Router 0.0.0.0 (RFC 3442): the destination is on the link. */
    public boolean onLink() {
      return "0.0.0.0".equals(router);
    }
  }

  static Inet4Address address(byte[] v) {
    return v == null || v.length < 4 ? null : Dhcp4Message.v4(Arrays.copyOf(v, 4));
  }

  static List<Inet4Address> addresses(byte[] v) {
    var out = new ArrayList<Inet4Address>();
    for (int i = 0; v != null && i + 4 <= v.length; i += 4) {
      out.add(Dhcp4Message.v4(Arrays.copyOfRange(v, i, i + 4)));
    }
    return out;
  }

  static Long u32(byte[] v) {
    if (v == null || v.length != 4) {
      return null;
    }
    return ((v[0] & 0xffL) << 24) | ((v[1] & 0xffL) << 16) | ((v[2] & 0xffL) << 8) | (v[3] & 0xffL);
  }

  static byte[] u32(long v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  /** Prefix length of a contiguous netmask, or -1. */
  static int prefixOf(byte[] mask) {
    Long m = u32(mask);
    if (m == null) {
      return -1;
    }
    int n = Long.bitCount(m);
    long expect = n == 0 ? 0 : (0xffffffffL << (32 - n)) & 0xffffffffL;
    return m == expect ? n : -1;
  }

  /** RFC 3442 classless static routes; throws on a malformed option. */
  static List<Route> classless(byte[] v) {
    var out = new ArrayList<Route>();
    int i = 0;
    while (v != null && i < v.length) {
      int width = v[i++] & 0xff;
      if (width > 32) {
        throw new IllegalArgumentException("option 121: prefix length " + width);
      }
      int octets = (width + 7) / 8;
      if (i + octets + 4 > v.length) {
        throw new IllegalArgumentException("option 121: truncated route");
      }
      byte[] dst = new byte[4];
      System.arraycopy(v, i, dst, 0, octets);
      i += octets;
      out.add(
          new Route(Dhcp4Message.v4(dst), width, Dhcp4Message.v4(Arrays.copyOfRange(v, i, i + 4))));
      i += 4;
    }
    return out;
  }

  /** RFC 2132 option 33: classful destinations (a host part set makes it a host route). */
  static List<Route> classful(byte[] v) {
    var out = new ArrayList<Route>();
    for (int i = 0; v != null && i + 8 <= v.length; i += 8) {
      byte[] dst = Arrays.copyOfRange(v, i, i + 4);
      int first = dst[0] & 0xff;
      int prefix = first < 128 ? 8 : first < 192 ? 16 : 24;
      long d = u32(dst);
      if ((d & ((1L << (32 - prefix)) - 1)) != 0) {
        prefix = 32;
      }
      out.add(
          new Route(
              Dhcp4Message.v4(dst), prefix, Dhcp4Message.v4(Arrays.copyOfRange(v, i + 4, i + 8))));
    }
    return out;
  }

  /** RFC 3397 domain search list (DNS name encoding with compression over the whole option). */
  static List<String> searchList(byte[] v) {
    var out = new ArrayList<String>();
    int i = 0;
    while (v != null && i < v.length) {
      var name = new StringBuilder();
      i = readName(v, i, name, 0);
      if (name.length() > 0) {
        out.add(name.toString());
      }
    }
    return out;
  }

  private static int readName(byte[] v, int i, StringBuilder name, int depth) {
    if (depth > 16) {
      throw new IllegalArgumentException("option 119: compression loop");
    }
    while (i < v.length) {
      int len = v[i] & 0xff;
      if (len == 0) {
        return i + 1;
      }
      if ((len & 0xc0) == 0xc0) {
        if (i + 1 >= v.length) {
          throw new IllegalArgumentException("option 119: truncated pointer");
        }
        int ptr = ((len & 0x3f) << 8) | (v[i + 1] & 0xff);
        readName(v, ptr, name, depth + 1);
        return i + 2;
      }
      if (i + 1 + len > v.length) {
        throw new IllegalArgumentException("option 119: truncated label");
      }
      if (name.length() > 0) {
        name.append('.');
      }
      name.append(new String(v, i + 1, len, StandardCharsets.US_ASCII));
      i += 1 + len;
    }
    return i;
  }

  /** Option 15: a domain name (trailing NULs and spaces dropped). */
  static String text(byte[] v) {
    if (v == null) {
      return null;
    }
    var s = new String(v, StandardCharsets.US_ASCII).replace("\0", "").strip();
    return s.isEmpty() ? null : s;
  }
}
