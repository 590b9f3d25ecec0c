package io.multihome.agent.netlink;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the replies of one dump (sequence number {@code seq}) until NLMSG_DONE, noting whether
 * the kernel flagged any part NLM_F_DUMP_INTR (state changed mid-dump: the caller redoes it).
 */
final class DumpAssembler {
  private final Request request;
  private final int seq;
  private final List<NlMessage> messages = new ArrayList<>();
  private boolean interrupted;
  private boolean done;

  DumpAssembler(Request request, int seq) {
    this.request = request;
    this.seq = seq;
  }

  /** Takes one datagram's messages; returns true once NLMSG_DONE arrived. */
  boolean accept(List<NlMessage> batch) {
    for (NlMessage m : batch) {
      if (m.seq() != seq || done) {
        continue; // replies to an earlier request, or after the end
      }
      interrupted |= (m.flags() & Rtnl.NLM_F_DUMP_INTR) != 0;
      if (m.type() == Rtnl.NLMSG_DONE || m.type() == Rtnl.NLMSG_ERROR) {
        int err = Acks.error(m);
        if (err < 0) {
          throw Acks.toException(request, m, err);
        }
        done = m.type() == Rtnl.NLMSG_DONE;
      } else {
        messages.add(m);
      }
    }
    return done;
  }

  boolean interrupted() {
    return interrupted;
  }

  List<NlMessage> messages() {
    return messages;
  }
}
