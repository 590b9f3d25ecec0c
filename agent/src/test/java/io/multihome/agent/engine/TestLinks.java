package io.multihome.agent.engine;

import io.multihome.agent.netlink.BridgePortOptions;
import io.multihome.agent.netlink.HwAddr;
import io.multihome.agent.netlink.Link;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.netlink.Rtnl;
import io.multihome.agent.netlink.Vf;
import java.util.List;

/**
 * Links for the planner tests, as a dump of an up device shows them: MTU 1500, operstate up,
 * txqueuelen 1000, in this namespace. One place, so each test names only what it is about.
 */
final class TestLinks {
  private TestLinks() {}

  /** {@code name}, up, with MAC {@code 02:00:00:00:00:0<index>}, no controller, parent or VFs. */
  static Link link(int index, String name, LinkKind kind) {
    return link(index, name, kind, Rtnl.IFF_UP, null, null, null, null);
  }

  /**
   * With {@code flags} (IFF_*), a port of {@code master} ({@code slaveKind} bridge or bond) or,
   * with master null, none.
   */
  static Link link(
      int index,
      String name,
      LinkKind kind,
      int flags,
      Integer master,
      Integer parent,
      String slaveKind,
      BridgePortOptions bridgePort) {
    return link(
        index,
        name,
        kind,
        flags,
        "02:00:00:00:00:0" + index,
        master,
        parent,
        master == null ? null : slaveKind,
        master == null ? null : bridgePort,
        null,
        null);
  }

  /** Every field a planner test may set; {@code vfs} null means none. */
  static Link link(
      int index,
      String name,
      LinkKind kind,
      int flags,
      String mac,
      Integer master,
      Integer parent,
      String slaveKind,
      BridgePortOptions bridgePort,
      Integer numVfs,
      List<Vf> vfs) {
    return new Link(
        index,
        name,
        kind,
        flags,
        1500,
        HwAddr.parse(mac),
        master,
        parent,
        null,
        Link.OperState.UP,
        1000,
        slaveKind,
        bridgePort,
        numVfs,
        vfs == null ? List.of() : vfs);
  }

  /** {@code l} as the engine reads it, with only the IPv6 switch and bridge port number known. */
  static NodeLink node(Link l, boolean ipv6Disabled, Integer portNo) {
    return new NodeLink(
        l, null, ipv6Disabled, portNo, null, null, null, null, null, List.of(), null, null);
  }
}
