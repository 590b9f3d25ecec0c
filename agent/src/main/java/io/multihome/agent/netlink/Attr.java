package io.multihome.agent.netlink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** One attribute: its type (flags masked off) and a view of its value. */
public record Attr(int type, boolean nested, ByteBuffer value) {

  public int length() {
    return value.remaining();
  }

  private ByteBuffer need(int n) {
    if (value.remaining() < n) {
      throw new MalformedMessageException(
          "attribute " + type + " has " + value.remaining() + " bytes, needs " + n);
    }
    return value.duplicate().order(ByteOrder.nativeOrder());
  }

  public int u8() {
    return Byte.toUnsignedInt(need(1).get(0));
  }

  public int u16() {
    return Short.toUnsignedInt(need(2).getShort(0));
  }

  public int u16be() {
    var b = need(2);
    return ((b.get(0) & 0xff) << 8) | (b.get(1) & 0xff);
  }

  public int u32() {
    return need(4).getInt(0);
  }

  public long u64() {
    return need(8).getLong(0);
  }

  public byte[] bytes() {
    byte[] b = new byte[value.remaining()];
    value.duplicate().get(b);
    return b;
  }

  /** A string up to its first NUL (or the attribute's end). */
  public String string() {
    byte[] b = bytes();
    int n = 0;
    while (n < b.length && b[n] != 0) {
      n++;
    }
    return new String(b, 0, n, StandardCharsets.UTF_8);
  }

  public InetAddress address() {
    byte[] b = bytes();
    if (b.length != 4 && b.length != 16) {
      throw new MalformedMessageException(
          "attribute " + type + ": address of " + b.length + " bytes");
    }
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new MalformedMessageException(e.getMessage());
    }
  }

  public Attrs nestedAttrs() {
    return Attrs.parse(value.duplicate().order(ByteOrder.nativeOrder()));
  }
}
