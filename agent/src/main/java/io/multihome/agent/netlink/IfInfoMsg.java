package io.multihome.agent.netlink;

import java.nio.ByteBuffer;

/** struct ifinfomsg (16 bytes). */
public record IfInfoMsg(int family, int type, int index, int flags, int change) {
  public static final int LEN = 16;

  public static IfInfoMsg of(int family, int index) {
    return new IfInfoMsg(family, 0, index, 0, 0);
  }

  public void write(MessageBuilder b) {
    b.u8(family).u8(0).u16(type).u32(index).u32(flags).u32(change);
  }

  public static IfInfoMsg read(NlMessage m) {
    ByteBuffer p = m.body();
    if (p.remaining() < LEN) {
      throw new MalformedMessageException(
          "ifinfomsg needs " + LEN + " bytes, got " + p.remaining());
    }
    return new IfInfoMsg(
        Byte.toUnsignedInt(p.get(0)),
        Short.toUnsignedInt(p.getShort(2)),
        p.getInt(4),
        p.getInt(8),
        p.getInt(12));
  }
}
