package io.multihome.agent.netlink;

import java.nio.ByteBuffer;

/** struct rtmsg (12 bytes). */
public record RtMsg(
    int family,
    int dstLen,
    int srcLen,
    int tos,
    int table,
    int protocol,
    int scope,
    int type,
    int flags) {
  public static final int LEN = 12;

  public void write(MessageBuilder b) {
    b.u8(family).u8(dstLen).u8(srcLen).u8(tos).u8(table).u8(protocol).u8(scope).u8(type);
    b.u32(flags);
  }

  public static RtMsg read(NlMessage m) {
    ByteBuffer p = m.body();
    if (p.remaining() < LEN) {
      throw new MalformedMessageException("rtmsg needs " + LEN + " bytes, got " + p.remaining());
    }
    return new RtMsg(
        Byte.toUnsignedInt(p.get(0)),
        Byte.toUnsignedInt(p.get(1)),
        Byte.toUnsignedInt(p.get(2)),
        Byte.toUnsignedInt(p.get(3)),
        Byte.toUnsignedInt(p.get(4)),
        Byte.toUnsignedInt(p.get(5)),
        Byte.toUnsignedInt(p.get(6)),
        Byte.toUnsignedInt(p.get(7)),
        p.getInt(8));
  }
}
