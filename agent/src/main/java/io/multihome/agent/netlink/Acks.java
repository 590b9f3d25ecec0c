package io.multihome.agent.netlink;

import java.nio.ByteBuffer;

/** Reads NLMSG_ERROR / NLMSG_DONE payloads: the error code and the extended-ack message. */
final class Acks {
  private Acks() {}

  /** The (negative) error in an NLMSG_ERROR or NLMSG_DONE payload, 0 for a plain ack. */
  static int error(NlMessage m) {
    ByteBuffer p = m.body();
    if (p.remaining() < 4) {
      if (m.type() == Rtnl.NLMSG_DONE) {
        return 0;
      }
      throw new MalformedMessageException("NLMSG_ERROR of " + p.remaining() + " bytes");
    }
    return p.getInt(0);
  }

  /** The kernel's NLMSGERR_ATTR_MSG text, or null. */
  static String extAckMessage(NlMessage m) {
    if ((m.flags() & Rtnl.NLM_F_ACK_TLVS) == 0) {
      return null;
    }
    ByteBuffer p = m.body();
    int offset = 4;
    if (m.type() == Rtnl.NLMSG_ERROR) {
      if (p.remaining() < 4 + MessageBuilder.HEADER_LEN) {
        return null;
      }
      int origLen = p.getInt(4);
      boolean capped = (m.flags() & Rtnl.NLM_F_CAPPED) != 0;
      offset += capped ? MessageBuilder.HEADER_LEN : MessageBuilder.align(origLen);
    }
    if (offset > p.remaining()) {
      throw new MalformedMessageException("ack TLVs start past the message end");
    }
    Attrs tlvs = Attrs.parse(p.position(offset).slice().order(p.order()));
    String msg = tlvs.string(Rtnl.NLMSGERR_ATTR_MSG);
    return msg == null || msg.isEmpty() ? null : msg;
  }

  static NetlinkException toException(Request r, NlMessage m, int error) {
    return new NetlinkException(r.operation(), r.target(), -error, extAckMessage(m));
  }
}
