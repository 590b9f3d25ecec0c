package io.multihome.agent.dhcp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One DHCPv4 message (RFC 2131 BOOTP layout + RFC 2132 options). Options keep their order; an
 * option given several times is concatenated on decode (RFC 3396); the {@code file}/{@code sname}
 * fields are read for options when option 52 says so.
 */
public record Dhcp4Message(
    int op,
    int xid,
    int secs,
    boolean broadcast,
    Inet4Address ciaddr,
    Inet4Address yiaddr,
    Inet4Address siaddr,
    Inet4Address giaddr,
    byte[] chaddr,
    Map<Integer, byte[]> options) {

  public static final int BOOTREQUEST = 1;
  public static final int BOOTREPLY = 2;
  public static final int DISCOVER = 1;
  public static final int OFFER = 2;
  public static final int REQUEST = 3;
  public static final int DECLINE = 4;
  public static final int ACK = 5;
  public static final int NAK = 6;
  public static final int RELEASE = 7;
  public static final int INFORM = 8;

  private static final int MAGIC = 0x63825363;
  private static final int FIXED = 236;
  private static final int MIN_LEN = 300;
  static final Inet4Address ANY = v4(new byte[4]);

  public Dhcp4Message {
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    ciaddr = ciaddr == null ? ANY : ciaddr;
    yiaddr = yiaddr == null ? ANY : yiaddr;
    siaddr = siaddr == null ? ANY : siaddr;
    giaddr = giaddr == null ? ANY : giaddr;
  }

  /** The DHCP message type (option 53), or 0 for plain BOOTP. */
  public int type() {
    byte[] t = options.get(Dhcp4Option.MESSAGE_TYPE);
    return t == null || t.length != 1 ? 0 : t[0] & 0xff;
  }

  public byte[] option(int code) {
    return options.get(code);
  }

  public static String typeName(int type) {
    return switch (type) {
      case DISCOVER -> "DHCPDISCOVER";
      case OFFER -> "DHCPOFFER";
      case REQUEST -> "DHCPREQUEST";
      case DECLINE -> "DHCPDECLINE";
      case ACK -> "DHCPACK";
      case NAK -> "DHCPNAK";
      case RELEASE -> "DHCPRELEASE";
      case INFORM -> "DHCPINFORM";
      default -> "BOOTP(" + type + ")";
    };
  }

  /** The wire form, padded to the 300 bytes BOOTP relays expect. */
  public byte[] encode() {
    int optLen = 4 + 1;
    for (var e : options.entrySet()) {
      int n = e.getValue().length;
      optLen += n == 0 ? 2 : n + 2 * ((n + 254) / 255);
    }
    var b = ByteBuffer.allocate(Math.max(MIN_LEN, FIXED + optLen));
    b.put((byte) op).put((byte) 1).put((byte) 6).put((byte) 0);
    b.putInt(xid).putShort((short) secs).putShort((short) (broadcast ? 0x8000 : 0));
    b.put(ciaddr.getAddress()).put(yiaddr.getAddress());
    b.put(siaddr.getAddress()).put(giaddr.getAddress());
    b.put(Arrays.copyOf(chaddr, 16));
    b.position(FIXED);
    b.putInt(MAGIC);
    for (var e : options.entrySet()) {
      byte[] v = e.getValue();
      int off = 0;
      do {
        // Longer than 255 bytes: split into several instances (RFC 3396).
        int n = Math.min(255, v.length - off);
        b.put((byte) (int) e.getKey()).put((byte) n).put(v, off, n);
        off += n;
      } while (off < v.length);
    }
    b.put((byte) Dhcp4Option.END);
    return b.array();
  }

  /** Decodes a message; throws {@link IllegalArgumentException} when it is not one. */
  public static Dhcp4Message decode(byte[] data, int len) {
    if (len < FIXED + 4) {
      throw new IllegalArgumentException("DHCP message too short: " + len + " bytes");
    }
    var b = ByteBuffer.wrap(data, 0, len);
    int op = b.get() & 0xff;
    int htype = b.get() & 0xff;
    int hlen = b.get() & 0xff;
    b.get();
    int xid = b.getInt();
    int secs = b.getShort() & 0xffff;
    boolean broadcast = (b.getShort() & 0x8000) != 0;
    var ciaddr = addr(b);
    var yiaddr = addr(b);
    var siaddr = addr(b);
    var giaddr = addr(b);
    byte[] ch = new byte[16];
    b.get(ch);
    if (b.getInt(FIXED) != MAGIC) {
      throw new IllegalArgumentException("no DHCP magic cookie");
    }
    var options = new LinkedHashMap<Integer, byte[]>();
    readOptions(data, FIXED + 4, len, options);
    byte[] overload = options.get(Dhcp4Option.OVERLOAD);
    if (overload != null && overload.length == 1) {
      if ((overload[0] & 1) != 0) {
        readOptions(data, 108, 108 + 128, options);
      }
      if ((overload[0] & 2) != 0) {
        readOptions(data, 44, 44 + 64, options);
      }
    }
    byte[] chaddr = Arrays.copyOf(ch, htype == 1 && hlen <= 16 ? hlen : 16);
    return new Dhcp4Message(
        op, xid, secs, broadcast, ciaddr, yiaddr, siaddr, giaddr, chaddr, options);
  }

  private static void readOptions(byte[] d, int from, int to, Map<Integer, byte[]> out) {
    int i = from;
    while (i < to) {
      int code = d[i++] & 0xff;
      if (code == Dhcp4Option.PAD) {
        continue;
      }
      if (code == Dhcp4Option.END || i >= to) {
        return;
      }
      int n = d[i++] & 0xff;
      if (i + n > to) {
        throw new IllegalArgumentException("DHCP option " + code + " runs past the message");
      }
      byte[] v = Arrays.copyOfRange(d, i, i + n);
      i += n;
      out.merge(code, v, Dhcp4Message::concat);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  private static Inet4Address addr(ByteBuffer b) {
    byte[] a = new byte[4];
    b.get(a);
    return v4(a);
  }

  static Inet4Address v4(byte[] a) {
    try {
      return (Inet4Address) InetAddress.getByAddress(a);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Override
  public String toString() {
    return typeName(type())
        + " xid 0x"
        + Integer.toHexString(xid)
        + (yiaddr.equals(ANY) ? "" : " yiaddr " + yiaddr.getHostAddress())
        + (ciaddr.equals(ANY) ? "" : " ciaddr " + ciaddr.getHostAddress());
  }
}
