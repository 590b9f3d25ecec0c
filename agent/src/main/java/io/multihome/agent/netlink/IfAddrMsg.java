package io.multihome.agent.netlink;

import java.nio.ByteBuffer;

/** struct ifaddrmsg (8 bytes). */
public record IfAddrMsg(int family, int prefixLen, int flags, int scope, int index) {
  public static final int LEN = 8;

  public void write(MessageBuilder b) {
    b.u8(family).u8(prefixLen).u8(flags).u8(scope).u32(index);
  }

  public static IfAddrMsg read(NlMessage m) {
    ByteBuffer p = m.body();
    if (p.remaining() < LEN) {
      throw new MalformedMessageException(
          "ifaddrmsg needs " + LEN + " bytes, got " + p.remaining());
    }
    return new IfAddrMsg(
        Byte.toUnsignedInt(p.get(0)),
        Byte.toUnsignedInt(p.get(1)),
        Byte.toUnsignedInt(p.get(2)),
        Byte.toUnsignedInt(p.get(3)),
        p.getInt(4));
  }
}
