package io.multihome.agent.engine;

import io.multihome.agent.netlink.Mptcp;
import io.multihome.agent.netlink.RtNetlink;
import java.net.InetAddress;
import java.util.List;

/** The namespace's MPTCP endpoints, read and changed over the {@code mptcp_pm} family. */
final class MptcpEndpoints {
  private MptcpEndpoints() {}

  /** Every endpoint; empty when the kernel has no MPTCP. */
  static List<Mptcp.Endpoint> read(Target target) {
    try (var genl = RtNetlink.openGeneric(target.netns())) {
      var m = Mptcp.on(genl);
      return m == null ? List.of() : m.list();
    }
  }

  /** Whether the kernel has MPTCP (CONFIG_MPTCP) in {@code target}. */
  static boolean available(Target target) {
    try (var genl = RtNetlink.openGeneric(target.netns())) {
      return Mptcp.on(genl) != null;
    }
  }

  static void add(
      Target target, RtNetlink nl, String dev, InetAddress address, int flags, Integer replacing) {
    int index = nl.links().get(dev).index();
    try (var genl = RtNetlink.openGeneric(target.netns())) {
      var m = require(genl);
      if (replacing != null) {
        m.execute(m.deleteRequest(replacing));
      }
      m.execute(m.addRequest(address, index, flags));
    }
  }

  static void delete(Target target, int id) {
    try (var genl = RtNetlink.openGeneric(target.netns())) {
      var m = require(genl);
      m.execute(m.deleteRequest(id));
    }
  }

  private static Mptcp require(RtNetlink genl) {
    var m = Mptcp.on(genl);
    if (m == null) {
      throw new IllegalStateException("the kernel has no MPTCP (mptcp_pm generic netlink family)");
    }
    return m;
  }
}
