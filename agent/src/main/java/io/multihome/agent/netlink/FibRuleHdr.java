package io.multihome.agent.netlink;

import java.nio.ByteBuffer;

/** struct fib_rule_hdr (12 bytes). */
public record FibRuleHdr(
    int family, int dstLen, int srcLen, int tos, int table, int action, int flags) {
  public static final int LEN = 12;

  public void write(MessageBuilder b) {
    b.u8(family).u8(dstLen).u8(srcLen).u8(tos).u8(table).u8(0).u8(0).u8(action).u32(flags);
  }

  public static FibRuleHdr read(NlMessage m) {
    ByteBuffer p = m.body();
    if (p.remaining() < LEN) {
      throw new MalformedMessageException(
          "fib_rule_hdr needs " + LEN + " bytes, got " + p.remaining());
    }
    return new FibRuleHdr(
        Byte.toUnsignedInt(p.get(0)),
        Byte.toUnsignedInt(p.get(1)),
        Byte.toUnsignedInt(p.get(2)),
        Byte.toUnsignedInt(p.get(3)),
        Byte.toUnsignedInt(p.get(4)),
        Byte.toUnsignedInt(p.get(7)),
        p.getInt(8));
  }
}
