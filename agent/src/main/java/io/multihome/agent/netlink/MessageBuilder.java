package io.multihome.agent.netlink;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes one or more netlink messages into a growable buffer: header, fixed struct, attributes.
 * Every attribute and message starts 4-byte aligned; lengths are back-patched when a nested
 * attribute or the message ends. Integers are native order, addresses network order.
 */
public final class MessageBuilder {
  static final int HEADER_LEN = 16;

  private ByteBuffer buf;
  private int messageStart = -1;
  private int messages;

  public MessageBuilder() {
    this(1024);
  }

  public MessageBuilder(int capacity) {
    buf = ByteBuffer.allocate(capacity).order(ByteOrder.nativeOrder());
  }

  static int align(int len) {
    return (len + 3) & ~3;
  }

  /** Starts a message; the length field is filled in by {@link #end()}. */
  public MessageBuilder begin(int type, int flags, int seq) {
    if (messageStart >= 0) {
      throw new IllegalStateException("previous message not ended");
    }
    padTo(align(buf.position()));
    messageStart = buf.position();
    ensure(HEADER_LEN);
    buf.putInt(0).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
    return this;
  }

  /** Ends the current message: pads it to 4 bytes and back-patches nlmsg_len. */
  public MessageBuilder end() {
    if (messageStart < 0) {
      throw new IllegalStateException("no message begun");
    }
    padTo(align(buf.position()));
    buf.putInt(messageStart, buf.position() - messageStart);
    messageStart = -1;
    messages++;
    return this;
  }

  public MessageBuilder u8(int v) {
    ensure(1);
    buf.put((byte) v);
    return this;
  }

  public MessageBuilder u16(int v) {
    ensure(2);
    buf.putShort((short) v);
    return this;
  }

  public MessageBuilder u32(int v) {
    ensure(4);
    buf.putInt(v);
    return this;
  }

  public MessageBuilder bytes(byte[] v) {
    ensure(v.length);
    buf.put(v);
    return this;
  }

  public MessageBuilder attr(int type, byte[] value) {
    padTo(align(buf.position()));
    ensure(4 + value.length);
    buf.putShort((short) (4 + value.length)).putShort((short) type).put(value);
    padTo(align(buf.position()));
    return this;
  }

  public MessageBuilder attrFlag(int type) {
    return attr(type, new byte[0]);
  }

  public MessageBuilder attrU8(int type, int v) {
    return attr(type, new byte[] {(byte) v});
  }

  public MessageBuilder attrU16(int type, int v) {
    return attr(
        type, ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort((short) v).array());
  }

  /** A 16-bit value in network order, as for protocols (ETH_P_8021Q) and ports. */
  public MessageBuilder attrU16be(int type, int v) {
    return attr(type, new byte[] {(byte) (v >> 8), (byte) v});
  }

  public MessageBuilder attrU32(int type, int v) {
    return attr(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array());
  }

  public MessageBuilder attrU64(int type, long v) {
    return attr(type, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(v).array());
  }

  /** A NUL-terminated string, as the kernel's NLA_STRING/NLA_NUL_STRING policies expect. */
  public MessageBuilder attrString(int type, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return attr(type, Arrays.copyOf(b, b.length + 1));
  }

  public MessageBuilder attrAddress(int type, InetAddress address) {
    return attr(type, address.getAddress());
  }

  /** Opens a nested attribute; pass the returned mark to {@link #endNested(int)}. */
  public int beginNested(int type) {
    padTo(align(buf.position()));
    int mark = buf.position();
    ensure(4);
    buf.putShort((short) 0).putShort((short) (type | Rtnl.NLA_F_NESTED));
    return mark;
  }

  /** Like {@link #beginNested(int)} but without NLA_F_NESTED, for attributes old kernels parse. */
  public int beginNestedPlain(int type) {
    padTo(align(buf.position()));
    int mark = buf.position();
    ensure(4);
    buf.putShort((short) 0).putShort((short) type);
    return mark;
  }

  public MessageBuilder endNested(int mark) {
    buf.putShort(mark, (short) (buf.position() - mark));
    return this;
  }

  /** Writes a 16-bit native value at {@code at} (a length known only afterwards). */
  public MessageBuilder patchU16(int at, int v) {
    buf.putShort(at, (short) v);
    return this;
  }

  /** Bytes written so far (all ended messages, plus any open one). */
  public int size() {
    return buf.position();
  }

  public int messageCount() {
    return messages;
  }

  public byte[] toBytes() {
    return Arrays.copyOf(buf.array(), buf.position());
  }

  /** Clears the buffer for reuse, keeping its capacity. */
  public MessageBuilder reset() {
    buf.clear();
    messageStart = -1;
    messages = 0;
    return this;
  }

  private void padTo(int pos) {
    ensure(pos - buf.position());
    while (buf.position() < pos) {
      buf.put((byte) 0);
    }
  }

  private void ensure(int n) {
    if (buf.remaining() >= n) {
      return;
    }
    int cap = Math.max(buf.capacity() * 2, buf.position() + n);
    var bigger = ByteBuffer.allocate(cap).order(ByteOrder.nativeOrder());
    buf.flip();
    bigger.put(buf);
    buf = bigger;
  }
}
