package io.multihome.agent.engine;

import static io.multihome.agent.engine.EngineAssertions.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multihome.agent.netlink.KernelFeatures;
import io.multihome.agent.netlink.NamedNetns;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.state.StateWriter;
import io.multihome.testkit.KernelTier;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * balance-slb against the real nftables: the rendered table loads and reads back as rendered, and
 * does what it is for (on veths, which this kernel has: a port that is not the active one drops
 * broadcast, so ARP from its peer goes unanswered; a frame whose source MAC the "bond" just sent is
 * dropped); through the engine on a real bond (kernel-VM tier here: this kernel lacks bonding).
 */
@Tag("kernel-vm")
@Timeout(120)
class BondSlbKernelTest extends EngineNetnsTestBase {

  @Test
  void theRenderedTableLoadsReadsBackAndDropsFloodedAndLoopedFrames() throws Exception {
    // eth1 stands in for the bond (its egress learns), eth2 for a port; the peer of eth2 lives
    // in a second namespace as the switch's side.
    var peer = "mh-slbp-" + UUID.randomUUID().toString().substring(0, 8);
    NamedNetns.create(peer);
    try {
      ns.ip("link", "set", "eth2-p", "netns", peer);
      ns.ip("addr", "add", "198.18.91.1/24", "dev", "eth2");
      ns.ip("addr", "add", "198.18.92.1/24", "dev", "eth1");
      peer(peer, "ip", "link", "set", "lo", "up");
      peer(peer, "ip", "link", "set", "eth2-p", "up");
      peer(peer, "ip", "addr", "add", "198.18.91.2/24", "dev", "eth2-p");

      // eth2 active: broadcast passes, ARP resolves, the ping is answered.
      var active = BondSlb.render("eth1", List.of("eth2"), "eth2");
      BondSlb.load(ns.name, "eth1", active);
      var read = BondSlb.read(ns.name);
      assertThat(read).containsOnlyKeys("eth1");
      assertThat(BondSlb.same(read.get("eth1"), active)).as(read.get("eth1")).isTrue();
      assertThat(BondSlb.parse("eth1", read.get("eth1")))
          .isEqualTo(new BondSlb.Hooked(List.of("eth2"), "eth2"));
      answered(peer, "198.18.91.1");

      // eth2 not active: the peer's ARP request (broadcast) is dropped.
      peer(peer, "ip", "neigh", "flush", "dev", "eth2-p");
      ns.ip("neigh", "flush", "dev", "eth2");
      BondSlb.load(ns.name, "eth1", BondSlb.render("eth1", List.of("eth2"), null));
      assertThat(pings(peer, "198.18.91.1")).isFalse();

      // Looped: the peer takes eth1's MAC, eth1 sends (its egress learns that MAC): what the
      // peer sends now is dropped as our own frame coming back.
      BondSlb.load(ns.name, "eth1", active);
      var mac = ns.ip("-br", "link", "show", "eth1").trim().split("\\s+")[2];
      peer(peer, "ip", "link", "set", "eth2-p", "address", mac);
      peer(peer, "ip", "neigh", "flush", "dev", "eth2-p");
      ns.ip("neigh", "flush", "dev", "eth2");
      // Nobody answers on eth1's side: only its ARP request going out matters.
      assertThat(pings(ns.name, "-I", "eth1", "198.18.92.2")).isFalse();
      assertThat(ns.sh("nft", "list", "set", "netdev", BondSlb.table("eth1"), "tx-macs"))
          .contains(mac);
      assertThat(pings(peer, "198.18.91.1")).isFalse();

      BondSlb.load(ns.name, "eth1", null);
      assertThat(BondSlb.read(ns.name)).isEmpty();
      // Without the table the same peer is answered: the drops above were the table's.
      answered(peer, "198.18.91.1");
      // Removing what is not there is no error (the plan's removal is idempotent).
      BondSlb.load(ns.name, "eth1", null);
    } finally {
      NamedNetns.delete(peer);
    }
  }

  private static String peer(String netns, String... args) {
    var cmd = new java.util.ArrayList<>(List.of("ip", "netns", "exec", netns));
    cmd.addAll(List.of(args));
    return EngineNetns.run(cmd);
  }

  /**
   * A ping is answered within 10 s: the first may be lost while neighbour resolution starts over
   * (the peer's entry for the address failed a moment ago, in the dropped cases).
   */
  private static void answered(String netns, String to) {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> pings(netns, to));
  }

  private static boolean pings(String netns, String... to) {
    var args = new java.util.ArrayList<>(List.of("ping", "-c", "1", "-W", "1"));
    args.addAll(List.of(to));
    try {
      peer(netns, args.toArray(String[]::new));
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * The ports' peers become ports of a bridge in another namespace (the switch, which floods
   * broadcasts to both ports and sends our own broadcasts back in); the bridge's own address is the
   * host behind it. A ping through the bond is answered with balance-slb's table in place.
   */
  private void trafficThroughASwitch() {
    var sw = "mh-slbs-" + UUID.randomUUID().toString().substring(0, 8);
    NamedNetns.create(sw);
    try {
      peer(
          sw, "ip", "link", "add", "sw0", "type", "bridge", "stp_state", "0", "forward_delay", "0");
      for (var p : List.of("eth1-p", "eth2-p")) {
        ns.ip("link", "set", p, "netns", sw);
        peer(sw, "ip", "link", "set", p, "master", "sw0");
        peer(sw, "ip", "link", "set", p, "up");
      }
      peer(sw, "ip", "addr", "add", "198.18.95.2/24", "dev", "sw0");
      peer(sw, "ip", "link", "set", "sw0", "up");
      ns.ip("addr", "add", "198.18.95.1/24", "dev", "bond0");
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(20))
          .until(() -> pings(ns.name, "198.18.95.2"));
      // The switch's own broadcast (its ARP request) reaches both ports; answered once.
      peer(sw, "ip", "neigh", "flush", "dev", "sw0");
      assertThat(pings(sw, "198.18.95.1")).isTrue();
    } finally {
      // The peers go back first: deleting the switch's namespace would take eth1/eth2 with them.
      for (var p : List.of("eth1-p", "eth2-p")) {
        try {
          peer(sw, "ip", "link", "set", p, "netns", ns.name);
          ns.ip("link", "set", p, "up");
        } catch (RuntimeException e) {
          // not moved yet
        }
      }
      NamedNetns.delete(sw);
    }
  }

  private KernelFeatures features() {
    try (RtNetlink nl = ns.target().open()) {
      return KernelFeatures.probe(nl);
    }
  }

  private static final String BOND =
      "interfaces: [{name: bond0, type: bond, state: up, link-aggregation: {mode: balance-xor,"
          + " port: [%s], options: {miimon: 100, xmit_hash_policy: vlan+srcmac, balance-slb:"
          + " %s}}}]";

  @Test
  void aBondWithBalanceSlbIsAppliedVerifiedShownFollowedAndRolledBack() throws Exception {
    KernelTier.require(features().bond(), "kernel lacks bonding (CONFIG_BONDING)");
    var on = state(String.format(BOND, "eth1, eth2", "1"));
    assertThat(engine.apply(on, ApplyOptions.defaults())).isInstanceOf(ApplyResult.Applied.class);
    var tables = BondSlb.read(ns.name);
    assertThat(tables).containsOnlyKeys("bond0");
    assertThat(BondSlb.parse("bond0", tables.get("bond0")))
        .isEqualTo(new BondSlb.Hooked(List.of("eth1", "eth2"), "eth1"));
    assertThat(engine.plan(on).isEmpty()).isTrue();
    assertThat(StateWriter.toYaml(engine.show(n -> n.equals("bond0"))))
        .contains("balance_slb: true");
    trafficThroughASwitch();

    // A port released: the table follows; a failing probe restores the two-port table.
    var start = BondSlb.read(ns.name).get("bond0");
    Probe failing = applied -> "gateway unreachable";
    var one = state(String.format(BOND, "eth1", "true"));
    var rolled = engine.apply(one, ApplyOptions.defaults().withProbes(List.of(failing)));
    assertThat(rolled).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(BondSlb.read(ns.name).get("bond0")).isEqualTo(start);
    assertThat(engine.apply(one, ApplyOptions.defaults())).isInstanceOf(ApplyResult.Applied.class);
    assertThat(BondSlb.parse("bond0", BondSlb.read(ns.name).get("bond0")))
        .isEqualTo(new BondSlb.Hooked(List.of("eth1"), "eth1"));

    // A table changed behind the engine's back is not balance-slb: show says so, apply repairs.
    ns.sh("nft", "flush", "chain", "netdev", BondSlb.table("bond0"), "rx-0");
    assertThat(StateWriter.toYaml(engine.show(n -> n.equals("bond0"))))
        .doesNotContain("balance_slb");
    assertThat(engine.differences(one)).isNotEmpty();
    assertThat(engine.apply(one, ApplyOptions.defaults())).isInstanceOf(ApplyResult.Applied.class);
    assertThat(engine.differences(one)).isEmpty();

    // Off under --no-commit, then rollback from the checkpoint file: the table comes back.
    var off = state(String.format(BOND, "eth1", "false"));
    var kept = BondSlb.read(ns.name).get("bond0");
    assertThat(engine.apply(off, ApplyOptions.defaults().noCommit(Duration.ofSeconds(60))))
        .isInstanceOf(ApplyResult.Applied.class);
    assertThat(BondSlb.read(ns.name)).isEmpty();
    assertThat(engine.rollback()).isEmpty();
    assertThat(BondSlb.read(ns.name).get("bond0")).isEqualTo(kept);

    // Off, then on again and the bond removed: the table goes each time.
    assertThat(engine.apply(off, ApplyOptions.defaults())).isInstanceOf(ApplyResult.Applied.class);
    assertThat(BondSlb.read(ns.name)).isEmpty();
    assertThat(StateWriter.toYaml(engine.show(n -> n.equals("bond0"))))
        .doesNotContain("balance_slb");
    assertThat(engine.apply(on, ApplyOptions.defaults())).isInstanceOf(ApplyResult.Applied.class);
    assertThat(
            engine.apply(
                state("interfaces: [{name: bond0, state: absent}]"), ApplyOptions.defaults()))
        .isInstanceOf(ApplyResult.Applied.class);
    assertThat(BondSlb.read(ns.name)).isEmpty();

    // nmstate's rule on the bond as it is: balance-rr cannot take it; nothing is touched.
    var rr =
        state(
            "interfaces: [{name: bond1, type: bond, link-aggregation: {mode: balance-rr, port:"
                + " [eth1], options: {balance-slb: true, xmit_hash_policy: vlan+srcmac}}}]");
    assertThatThrownBy(() -> engine.apply(rr, ApplyOptions.defaults()))
        .isInstanceOf(PlanException.class)
        .hasMessageContaining("mode must be balance-xor");
  }

  /**
   * A port released outside the engine (`ip link set eth2 nomaster`, as an operator would): the
   * node no longer matches the policy, and applying it again puts the port back and the table hooks
   * both ports again.
   */
  @Test
  void aPortReleasedOutsideTheEngineIsPutBackByTheNextApply() throws Exception {
    KernelTier.require(features().bond(), "kernel lacks bonding (CONFIG_BONDING)");
    var on = state(String.format(BOND, "eth1, eth2", "1"));
    assertThat(engine.apply(on, ApplyOptions.defaults())).isInstanceOf(ApplyResult.Applied.class);

    ns.ip("link", "set", "eth2", "nomaster");

    assertThat(engine.differences(on)).isNotEmpty();
    assertThat(engine.plan(on).describe()).contains("ip link set eth2 master bond0");
    assertThat(engine.apply(on, ApplyOptions.defaults())).isInstanceOf(ApplyResult.Applied.class);
    assertThat(ns.ip("link", "show", "eth2")).contains("master bond0");
    assertThat(BondSlb.parse("bond0", BondSlb.read(ns.name).get("bond0")).ports())
        .containsExactlyInAnyOrder("eth1", "eth2");
    assertThat(engine.differences(on)).isEmpty();
    assertThat(engine.plan(on).isEmpty()).isTrue();
  }
}
