package io.multihome.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.state.DnsConfig;
import io.multihome.state.StateParser;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DHCP/autoconf settings derived from desired states as nmstate merges them, the ops that change
 * them, and the resolver file's DHCP part.
 */
class DynamicIpPlannerTest {

  /** Settings in memory: what the planner compares against. */
  private static final class Settings implements DynamicIp {
    final Map<String, AutoIp> map = new HashMap<>();

    @Override
    public Map<String, AutoIp> settings() {
      return new HashMap<>(map);
    }

    @Override
    public void configure(Map<String, AutoIp> changes) {
      changes.forEach(
          (k, v) -> {
            if (v == null) {
              map.remove(k);
            } else {
              map.put(k, v);
            }
          });
    }

    @Override
    public void commit() {}

    @Override
    public String await(Collection<String> names, Instant deadline) {
      return null;
    }

    @Override
    public DnsConfig dns() {
      return new DnsConfig(List.of(), List.of(), List.of());
    }
  }

  private static io.multihome.state.DesiredState state(String yaml) throws Exception {
    var r = StateParser.parse(yaml);
    assertThat(r.problems()).isEmpty();
    return r.state();
  }

  private static final AutoIp.V4 DEFAULT4 = new AutoIp.V4(true, true, true, 0, null, null);

  @Test
  void settingsFollowNmstateDefaultsAndMerge() throws Exception {
    var s =
        state(
            """
            interfaces:
            - name: eth1
              ipv4: {enabled: true, dhcp: true, auto-dns: false, auto-route-table-id: 100,
                     dhcp-client-id: iaid+duid}
              ipv6: {enabled: true, dhcp: true, autoconf: false, dhcp-duid: llt}
            """);
    var c = s.interfacesOrEmpty().get(0).common();
    var a = AutoIp.of(c.ipv4(), c.ipv6(), null);
    assertThat(a.v4()).isEqualTo(new AutoIp.V4(false, true, true, 100, null, "iaid+duid"));
    assertThat(a.v6()).isEqualTo(new AutoIp.V6(true, false, true, true, true, 0, null, "llt"));
    // A later state that only says dhcp: true keeps what the node runs with (nmstate's merge).
    var again = state("interfaces: [{name: eth1, ipv4: {dhcp: true}}]");
    var b = AutoIp.of(again.interfacesOrEmpty().get(0).common().ipv4(), null, a);
    assertThat(b).isEqualTo(a);
    // No ipv4 section at all keeps it; dhcp: false or enabled: false turns it off.
    assertThat(AutoIp.of(null, null, a)).isEqualTo(a);
    var off = state("interfaces: [{name: eth1, ipv4: {enabled: true, dhcp: false}}]");
    assertThat(AutoIp.of(off.interfacesOrEmpty().get(0).common().ipv4(), null, a).v4()).isNull();
    var disabled = state("interfaces: [{name: eth1, ipv6: {enabled: false}}]");
    assertThat(AutoIp.of(null, disabled.interfacesOrEmpty().get(0).common().ipv6(), a).v6())
        .isNull();
  }

  @Test
  void aNicThatBecomesABridgePortGivesUpItsClientBeforeTheBridgeStartsOne() throws Exception {
    var client = new Settings();
    client.map.put("eth1", new AutoIp(DEFAULT4, null));
    var s =
        state(
            """
            interfaces:
            - name: br1
              type: linux-bridge
              ipv4: {enabled: true, dhcp: true}
              bridge: {port: [{name: eth1}]}
            """);
    var ops = DynamicIpPlanner.plan(s, client);
    assertThat(ops.stream().map(Op::describe))
        .containsExactly(
            "dhcp start br1: dhcp4 auto-dns auto-gateway auto-routes",
            "dhcp stop eth1 (lease released once the apply is committed)");
    var plan = new Plan(ops, java.util.Set.of());
    // Stop with the address removals, before enslaving; start once the bridge is up.
    assertThat(plan.ops().get(0).describe()).startsWith("dhcp stop eth1");
    assertThat(plan.ops().get(0).stage()).isLessThan(Op.ENSLAVE);
    assertThat(plan.ops().get(1).stage()).isGreaterThan(Op.ADMIN_STATE);
    assertThat(DynamicIpPlanner.leased(plan)).containsExactly("br1");
    assertThat(DynamicIpPlanner.previous(plan))
        .containsEntry("eth1", new AutoIp(DEFAULT4, null))
        .containsEntry("br1", null);
  }

  @Test
  void unchangedSettingsPlanNothingAndAbsentInterfacesStop() throws Exception {
    var client = new Settings();
    client.map.put("eth1", new AutoIp(DEFAULT4, null));
    assertThat(
            DynamicIpPlanner.plan(
                state("interfaces: [{name: eth1, ipv4: {enabled: true, dhcp: true}}]"), client))
        .isEmpty();
    assertThat(DynamicIpPlanner.plan(state("interfaces: [{name: eth1, state: absent}]"), client))
        .extracting(Op::describe)
        .containsExactly("dhcp stop eth1 (lease released once the apply is committed)");
    assertThat(DynamicIpPlanner.plan(state("interfaces: [{name: eth1, state: ignore}]"), client))
        .isEmpty();
  }

  @Test
  void withoutAClientTheEngineRefusesDhcpAndAutoconfAtTheirPaths() throws Exception {
    var s =
        state(
            """
            interfaces:
            - {name: eth1, type: ethernet, ipv4: {enabled: true, dhcp: true}}
            - {name: eth2, type: ethernet, ipv6: {enabled: true, dhcp: true, autoconf: true}}
            """);
    var now =
        new Snapshot(List.of(nic(2, "eth1"), nic(3, "eth2")), List.of(), List.of(), List.of());
    var e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            () -> Planner.plan(s, now, "the agent (test)"), PlanException.class);
    assertThat(e.problems().stream().map(Object::toString))
        .containsExactly(
            "interfaces[0].ipv4.dhcp: DHCP needs the agent (test): set dhcp: false and list"
                + " static addresses under address",
            "interfaces[1].ipv6.dhcp: DHCP needs the agent (test): set dhcp: false and list"
                + " static addresses under address");
    // With a client the plan has no address op for them: the client keeps the addresses.
    assertThat(Planner.plan(s, now, null).ops()).isEmpty();
  }

  private static NodeLink nic(int index, String name) {
    return TestLinks.node(
        TestLinks.link(index, name, new io.multihome.agent.netlink.LinkKind.Other("")),
        false,
        null);
  }

  @Test
  void theResolverFileKeepsWhatDhcpAddedApartFromTheStaticConfig() {
    var text =
        ResolvConf.render(
            new DnsConfig(List.of("198.18.0.53"), List.of("example.com"), List.of("rotate")),
            new DnsConfig(
                List.of("198.18.70.53", "198.18.0.53"), List.of("lab.example"), List.of()));
    assertThat(text)
        .isEqualTo(
            ResolvConf.HEADER
                + "search example.com lab.example\n"
                + "nameserver 198.18.0.53\n"
                + "nameserver 198.18.70.53\n"
                + "options rotate\n"
                + "# multihome dhcp: nameserver 198.18.70.53; search lab.example\n");
    assertThat(ResolvConf.withoutDynamic(text))
        .isEqualTo(
            new DnsConfig(List.of("198.18.0.53"), List.of("example.com"), List.of("rotate")));
    assertThat(ResolvConf.dynamic(text))
        .isEqualTo(new DnsConfig(List.of("198.18.70.53"), List.of("lab.example"), List.of()));
    // Nothing learned: the file is the static config alone, as before.
    assertThat(ResolvConf.render(ResolvConf.withoutDynamic(text), ResolvConf.dynamic("")))
        .doesNotContain("multihome dhcp");
  }
}
