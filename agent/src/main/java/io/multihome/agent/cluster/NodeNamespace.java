package io.multihome.agent.cluster;

import io.multihome.agent.netlink.NetNs;
import io.multihome.agent.netlink.NetlinkEvent;
import io.multihome.agent.netlink.NetlinkEvents;
import java.util.EnumSet;
import java.util.concurrent.Callable;

/** What every {@link NodeNetwork} does with its namespace: change events and probe sockets. */
final class NodeNamespace {
  private NodeNamespace() {}

  /** Calls {@code listener} on link, address and IPv4 route changes in {@code netns}. */
  static AutoCloseable onChange(String netns, Runnable listener) {
    var groups =
        EnumSet.of(
            NetlinkEvent.Group.LINK,
            NetlinkEvent.Group.IPV4_IFADDR,
            NetlinkEvent.Group.IPV6_IFADDR,
            NetlinkEvent.Group.IPV4_ROUTE);
    try (var ns = open(netns)) {
      return NetlinkEvents.subscribe(ns, groups, 0, e -> listener.run());
    }
  }

  /** Runs {@code task} inside {@code netns} (null: right here). */
  static <T> T call(String netns, Callable<T> task) throws Exception {
    if (netns == null) {
      return task.call();
    }
    try (var ns = open(netns)) {
      return ns.call(task);
    }
  }

  private static NetNs open(String netns) {
    return netns == null ? NetNs.current() : NetNs.named(netns);
  }
}
