package io.multihome.agent.netlink;

import java.util.function.Consumer;

/**
 * One request message, not yet sequenced: what it does (for errors), its type and flags, and a
 * writer for its struct and attributes. NLM_F_REQUEST and NLM_F_ACK are added on send.
 *
 * @param operation e.g. {@code link add}
 * @param target e.g. {@code br0 (bridge)}
 */
public record Request(
    String operation, String target, int type, int flags, Consumer<MessageBuilder> body) {

  /** Appends this request to {@code b} as one complete message. */
  public void writeTo(MessageBuilder b, int seq, int extraFlags) {
    b.begin(type, flags | extraFlags | Rtnl.NLM_F_REQUEST, seq);
    body.accept(b);
    b.end();
  }

  /** The encoded message, as sent with sequence number {@code seq} and an ack requested. */
  public byte[] encode(int seq) {
    var b = new MessageBuilder();
    writeTo(b, seq, Rtnl.NLM_F_ACK);
    return b.toBytes();
  }
}
