package io.multihome.agent.engine;

import io.multihome.agent.netlink.RtNetlink;
import io.multihome.agent.ovsdb.OvsdbClient;
import io.multihome.agent.ovsdb.SwitchState;
import io.multihome.agent.ovsdb.Transaction;
import io.multihome.agent.ovsdb.TxOp;
import io.multihome.agent.ovsdb.Vswitchd;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ops of nmstate's Open vSwitch parts. Each {@link Change} is one difference (its path and
 * values, what {@code --dry-run} prints, the kernel devices it affects); the plan's one {@link
 * Commit}, after them, runs all their OVSDB operations as one transaction and waits until
 * ovs-vswitchd has applied it. They run in the stage where dependant links are created: the kernel
 * interfaces OVS takes as ports exist by then, and the internal ports OVS creates exist before any
 * setting, address or route uses them.
 */
final class OvsOps {
  private static final Logger log = LoggerFactory.getLogger(OvsOps.class);

  /** How long ovs-vswitchd may take to act on a committed change. */
  static final Duration VSWITCHD_TIMEOUT = Duration.ofSeconds(30);

  private OvsOps() {}

  /** One difference; its OVSDB operations are in the {@link Commit}. */
  record Change(Op.Diff diff, String text, List<String> links) implements Op.Extension {
    @Override
    public int stage() {
      return Op.CREATE_DEPENDANTS;
    }

    @Override
    public String describe() {
      return text;
    }
  }

  /**
   * The transaction: {@code ops} (waits guarding every row the plan read, then inserts, updates and
   * root mutations), the {@code next_cfg} bump, then the wait for ovs-vswitchd and a check that
   * none of {@code interfaces} reports an error.
   */
  record Commit(
      Path socket,
      String rootUuid,
      List<TxOp> ops,
      List<String> bridges,
      boolean global,
      List<String> interfaces,
      Op.Diff diff)
      implements Op.Extension {
    Commit {
      ops = List.copyOf(ops);
      bridges = List.copyOf(bridges);
      interfaces = List.copyOf(interfaces);
    }

    @Override
    public int stage() {
      return Op.CREATE_DEPENDANTS;
    }

    @Override
    public String describe() {
      return "ovsdb transaction ("
          + ops.size()
          + " operations on "
          + socket
          + "), then wait for ovs-vswitchd";
    }

    @Override
    public void runDirect(RtNetlink nl, Path sysfsRoot) {
      run(socket, rootUuid, ops, interfaces);
    }

    /** ovs-vswitchd makes the kernel devices of the internal ports the transaction adds. */
    @Override
    public boolean createsLink() {
      return true;
    }
  }

  /**
   * Why ovs-vswitchd does not run an interface: its {@code error}, or no OpenFlow port number (its
   * bridge could not be created, e.g. the kernel datapath without the openvswitch module).
   */
  static String trouble(io.multihome.agent.ovsdb.InterfaceRow row) {
    if (row.error() != null) {
      return row.error();
    }
    if (row.ofport() == null || row.ofport() < 0) {
      return "ovs-vswitchd did not set it up (no OpenFlow port; its bridge may have no datapath:"
          + " see the ovs-vswitchd log)";
    }
    return null;
  }

  /** Runs {@code ops} as one transaction and waits for ovs-vswitchd; throws on any failure. */
  static void run(Path socket, String rootUuid, List<TxOp> ops, List<String> interfaces) {
    try (var c = OvsdbClient.connect(socket, OvsSnapshot.CALL_TIMEOUT)) {
      var tx = Transaction.openVswitch();
      tx.comment("multihome");
      ops.forEach(tx::add);
      int at = Vswitchd.bumpNextCfg(tx, rootUuid);
      long next = Vswitchd.nextCfg(c.transact(tx), at);
      log.debug("ovsdb: committed {} operations, waiting for next_cfg {}", ops.size(), next);
      Vswitchd.awaitApplied(c, next, VSWITCHD_TIMEOUT);
      var errors = new ArrayList<String>();
      var locations = SwitchState.read(c).locations();
      for (var name : interfaces) {
        var l = locations.get(name);
        var trouble = l == null ? null : trouble(l.iface());
        if (trouble != null) {
          errors.add("interfaces[" + name + "]: Open vSwitch: " + trouble);
        }
      }
      if (!errors.isEmpty()) {
        throw new IllegalStateException(String.join("; ", errors));
      }
    }
  }
}
