package io.multihome.agent.engine;

import static io.multihome.agent.engine.EngineAssertions.assertRefusedAt;
import static io.multihome.agent.engine.EngineAssertions.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.netlink.Rtnl;
import io.multihome.state.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** balance-slb: the nftables table's rendering, reading back, and planning. */
class BondSlbTest {

  static final String TWO_PORTS =
      """
      table netdev multihome-slb-bond0 {
      \tset tx-macs {
      \t\ttype ether_addr
      \t\tsize 65535
      \t\tflags dynamic,timeout
      \t}

      \tchain tx {
      \t\ttype filter hook egress device "bond0" priority filter; policy accept;
      \t\tupdate @tx-macs { ether saddr timeout 5s }
      \t}

      \tchain rx-0 {
      \t\ttype filter hook ingress device "eth1" priority filter; policy accept;
      \t\tether saddr @tx-macs drop
      \t}

      \tchain rx-1 {
      \t\ttype filter hook ingress device "eth2" priority filter; policy accept;
      \t\tether saddr @tx-macs drop
      \t\tmeta pkttype { broadcast, multicast } drop
      \t}
      }
      """;

  @Test
  void rendersLearningOnTheBondAndDropsOnEachPortButFloodsOnlyOnTheActiveOne() {
    assertThat(BondSlb.render("bond0", List.of("eth1", "eth2"), "eth1")).isEqualTo(TWO_PORTS);
  }

  @Test
  void theScriptReplacesTheTableInOneTransactionAndRemovesWithoutFailingOnAMissingOne() {
    assertThat(BondSlb.script("bond0", null))
        .isEqualTo(
            "table netdev multihome-slb-bond0 {}\ndelete table netdev multihome-slb-bond0\n");
    assertThat(BondSlb.script("bond0", TWO_PORTS))
        .startsWith("table netdev multihome-slb-bond0 {}\ndelete table")
        .endsWith(TWO_PORTS);
  }

  @Test
  void aListingIsReadBackAsItsPortsAndActivePortOnlyWhenItIsOurs() {
    assertThat(BondSlb.parse("bond0", TWO_PORTS))
        .isEqualTo(new BondSlb.Hooked(List.of("eth1", "eth2"), "eth1"));
    // As nft prints it: other indentation and blank lines are the same table.
    assertThat(BondSlb.parse("bond0", TWO_PORTS.replace("\t", "  ").replace("\n\n", "\n")))
        .isNotNull();
    // A rule changed by hand is not the rendering: shown as off, replaced when planned.
    assertThat(BondSlb.parse("bond0", TWO_PORTS.replace("timeout 5s", "timeout 60s"))).isNull();
    assertThat(BondSlb.parse("bond0", TWO_PORTS.replace("\t\tether saddr @tx-macs drop\n", "")))
        .isNull();
    assertThat(BondSlb.parse("bond1", TWO_PORTS)).isNull();
  }

  @Test
  void valuesAreReadAsNmstateReadsThem() {
    var json = JsonNodeFactory.instance;
    assertThat(BondSlbPlanner.flag(json.numberNode(1))).isTrue();
    assertThat(BondSlbPlanner.flag(json.numberNode(0))).isFalse();
    assertThat(BondSlbPlanner.flag(json.textNode("yes"))).isTrue();
    assertThat(BondSlbPlanner.flag(json.booleanNode(false))).isFalse();
    assertThat(BondSlbPlanner.flag(json.numberNode(2))).isNull();
    assertThat(BondSlbPlanner.flag(json.textNode("on-ish"))).isNull();
  }

  private final List<NodeLink> links = new ArrayList<>();

  private void link(int index, String name, LinkKind kind, Integer master) {
    var l = TestLinks.link(index, name, kind, Rtnl.IFF_UP, master, null, "bond", null);
    links.add(TestLinks.node(l, false, master == null ? null : 1));
  }

  private Snapshot node(Map<String, String> tables) {
    var s = new Snapshot(links, List.of(), List.of(), List.of(), Map.of());
    return s.withExtras(
        new NodeExtras(
            Map.of(), Map.of(), KeptSettings.EMPTY, null, Map.of(), null, Map.copyOf(tables)));
  }

  private static LinkKind.Bond xorBond(int hash) {
    return new LinkKind.Bond(LinkKind.BondMode.BALANCE_XOR, 100, null, null, hash, null, null);
  }

  @Test
  void aNewBondGetsItsTableAfterItsPortsAreEnslaved() throws Exception {
    link(1, "eth1", new LinkKind.Other(""), null);
    link(2, "eth2", new LinkKind.Other(""), null);
    var plan =
        Planner.plan(
            state(
                "interfaces: [{name: bond0, type: bond, link-aggregation: {mode: balance-xor,"
                    + " port: [eth1, eth2], options: {xmit_hash_policy: vlan+srcmac,"
                    + " balance-slb: 1}}}]"),
            node(Map.of()));
    var set =
        plan.ops().stream()
            .filter(o -> o instanceof BondSlbPlanner.SetSlb)
            .map(o -> (BondSlbPlanner.SetSlb) o)
            .toList();
    assertThat(set).hasSize(1);
    assertThat(set.get(0).listing()).isEqualTo(TWO_PORTS);
    assertThat(set.get(0).stage()).isGreaterThan(Op.ENSLAVE);
    assertThat(plan.describe())
        .contains("nft -f - (table netdev multihome-slb-bond0: balance-slb of bond0)");
  }

  @Test
  void anExistingBondIsValidatedWithItsCurrentModeAndHashAsNmstateDoes() throws Exception {
    link(1, "eth1", new LinkKind.Other(""), 3);
    link(3, "bond0", xorBond(0), null); // layer2
    var desired =
        state(
            "interfaces: [{name: bond0, type: bond, link-aggregation: {options: {balance-slb:"
                + " true}}}]");
    assertThatThrownBy(() -> Planner.plan(desired, node(Map.of())))
        .isInstanceOfSatisfying(
            PlanException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        new Problem(
                            "interfaces[0].link-aggregation.options.balance_slb",
                            "to enable balance-slb, xmit_hash_policy must be vlan+srcmac (it is"
                                + " layer2)")));
    // Turning it off needs no particular mode (nmstate's test_disable_balance_slb...).
    var off =
        state(
            "interfaces: [{name: bond0, type: bond, link-aggregation: {options: {balance-slb:"
                + " false, xmit_hash_policy: layer2}}}]");
    var plan = Planner.plan(off, node(Map.of("bond0", TWO_PORTS)));
    assertThat(plan.ops())
        .filteredOn(o -> o instanceof BondSlbPlanner.SetSlb)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(((BondSlbPlanner.SetSlb) o).listing()).isNull();
              assertThat(o.stage()).isEqualTo(Op.RELEASE_PORTS);
            });
    var bad =
        state(
            "interfaces: [{name: bond0, type: bond, link-aggregation: {options:"
                + " {balance-slb: maybe}}}]");
    assertRefusedAt(() -> Planner.plan(bad, node(Map.of())))
        .containsExactly("interfaces[0].link-aggregation.options.balance_slb");
  }

  @Test
  void aMatchingTableIsNoChangeAndAPortChangeReRendersItKeepingTheActivePort() throws Exception {
    link(1, "eth1", new LinkKind.Other(""), 3);
    link(2, "eth2", new LinkKind.Other(""), 3);
    link(3, "bond0", xorBond(5), null); // vlan+srcmac
    var same =
        state(
            "interfaces: [{name: bond0, type: bond, link-aggregation: {port: [eth1, eth2],"
                + " options: {balance-slb: true}}}]");
    assertThat(Planner.plan(same, node(Map.of("bond0", TWO_PORTS))).isEmpty()).isTrue();
    // Not given: the bond keeps balance-slb; an untouched bond plans nothing.
    var untouched = state("interfaces: [{name: bond0, type: bond}]");
    assertThat(Planner.plan(untouched, node(Map.of("bond0", TWO_PORTS))).isEmpty()).isTrue();
    // eth2 released: the table follows the bond's ports.
    var one = state("interfaces: [{name: bond0, type: bond, link-aggregation: {port: [eth1]}}]");
    var set =
        Planner.plan(one, node(Map.of("bond0", TWO_PORTS))).ops().stream()
            .filter(o -> o instanceof BondSlbPlanner.SetSlb)
            .map(o -> ((BondSlbPlanner.SetSlb) o).listing())
            .toList();
    assertThat(set).containsExactly(BondSlb.render("bond0", List.of("eth1"), "eth1"));
    // The bond removed: its table goes too.
    var gone = state("interfaces: [{name: bond0, state: absent}]");
    assertThat(Planner.plan(gone, node(Map.of("bond0", TWO_PORTS))).describe())
        .contains("nft delete table netdev multihome-slb-bond0");
  }
}
