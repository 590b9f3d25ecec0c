package io.multihome.agent.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One received netlink message: header fields and a read-only view of the payload (the fixed struct
 * followed by attributes).
 */
public record NlMessage(int type, int flags, int seq, int pid, ByteBuffer payload) {

  /**
   * Splits a datagram into messages. A header whose length is shorter than the header or longer
   * than what remains is rejected rather than read past.
   */
  public static List<NlMessage> parseAll(ByteBuffer data) {
    var in = data.duplicate().order(ByteOrder.nativeOrder());
    var out = new ArrayList<NlMessage>();
    while (in.remaining() >= MessageBuilder.HEADER_LEN) {
      int start = in.position();
      int len = in.getInt(start);
      if (len < MessageBuilder.HEADER_LEN || len > in.remaining()) {
        throw new MalformedMessageException(
            "nlmsg_len " + len + " does not fit the " + in.remaining() + " bytes left");
      }
      int type = Short.toUnsignedInt(in.getShort(start + 4));
      int flags = Short.toUnsignedInt(in.getShort(start + 6));
      int seq = in.getInt(start + 8);
      int pid = in.getInt(start + 12);
      var payload =
          in.duplicate()
              .position(start + MessageBuilder.HEADER_LEN)
              .limit(start + len)
              .slice()
              .order(ByteOrder.nativeOrder())
              .asReadOnlyBuffer()
              .order(ByteOrder.nativeOrder());
      out.add(new NlMessage(type, flags, seq, pid, payload));
      in.position(Math.min(in.limit(), start + MessageBuilder.align(len)));
    }
    if (in.hasRemaining()) {
      throw new MalformedMessageException(in.remaining() + " trailing bytes after last message");
    }
    return out;
  }

  /** The payload after a fixed struct of {@code structLen} bytes, parsed as attributes. */
  public Attrs attrs(int structLen) {
    if (payload.remaining() < structLen) {
      throw new MalformedMessageException(
          "message type "
              + type
              + " has "
              + payload.remaining()
              + " bytes, struct needs "
              + structLen);
    }
    int from = Math.min(payload.limit(), MessageBuilder.align(structLen));
    return Attrs.parse(payload.duplicate().position(from).slice().order(ByteOrder.nativeOrder()));
  }

  /** The payload with native byte order, positioned at 0; callers may read freely. */
  public ByteBuffer body() {
    return payload.duplicate().order(ByteOrder.nativeOrder());
  }
}
