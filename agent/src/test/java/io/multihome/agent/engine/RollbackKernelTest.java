package io.multihome.agent.engine;

import static io.multihome.agent.engine.EngineAssertions.state;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Atomicity: a plan that fails anywhere leaves the namespace exactly as before, compared as the
 * JSON iproute2 prints ({@code ip -j -d link}, {@code ip -j addr}, {@code ip -j route show table
 * all}, {@code ip -j rule}) with only running timers removed (see {@link EngineNetns#fullState}).
 */
@Timeout(600)
class RollbackKernelTest extends EngineNetnsTestBase {
  /** Modifies and creates (never deletes), so even ifindexes must come out equal. */
  static final String CHANGE =
      """
      interfaces:
      - name: br0
        type: linux-bridge
        mtu: 1400
        description: changed by the plan
        bridge:
          options: {stp: {enabled: true, forward-delay: 4}}
          port: []
      - name: br1
        type: linux-bridge
        bridge: {port: [{name: eth2-p, stp-path-cost: 50}]}
        ipv4: {enabled: true, address: [{ip: 198.18.9.1, prefix-length: 24}]}
      - name: eth1
        type: ethernet
        mtu: 1450
        ipv4: {address: [{ip: 198.18.0.2, prefix-length: 24}]}
        ipv6: {address: [{ip: "2001:db8::2", prefix-length: 64}]}
      - name: mv0
        type: mac-vlan
        mac-vlan: {base-iface: eth1, mode: bridge}
        ipv4: {address: [{ip: 198.18.7.1, prefix-length: 24}]}
      - name: v0
        type: veth
        veth: {peer: v0p}
        ipv4: {address: [{ip: 198.18.8.1, prefix-length: 30}]}
      routes:
        config:
        - {destination: 198.19.0.0/16, next-hop-address: 198.18.0.254, next-hop-interface: eth1, table-id: 200}
        - {destination: 203.0.113.0/24, state: absent}
      route-rules:
        config:
        - {ip-from: 198.18.9.0/24, route-table: 200, priority: 200}
        - {ip-from: 198.18.0.0/24, state: absent}
      """;

  private String before;

  @BeforeEach
  void setUp() throws Exception {
    ns.ip("link", "add", "br0", "type", "bridge");
    ns.ip("link", "set", "eth2", "master", "br0");
    ns.ip("link", "set", "br0", "up");
    ns.ip("addr", "add", "198.18.0.1/24", "dev", "eth1");
    ns.ip("addr", "add", "2001:db8::1/64", "dev", "eth1");
    ns.ip("route", "add", "203.0.113.0/24", "via", "198.18.0.254", "dev", "eth1");
    ns.ip("route", "add", "198.19.5.0/24", "via", "198.18.0.254", "table", "100");
    ns.ip("rule", "add", "from", "198.18.0.0/24", "lookup", "100", "priority", "100");
    before = settled();
  }

  private String settled() {
    return ns.settled();
  }

  @Test
  void theChangeAppliesAndKeepsUnrelatedRoutes() throws Exception {
    var desired = state(CHANGE);
    var result = engine.apply(desired, ApplyOptions.defaults());
    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(engine.differences(desired)).isEmpty();
    // eth1 lost its only IPv4 address on the way (the kernel then flushes its routes): the
    // unrelated route in table 100 must still be there, the absent one gone.
    assertThat(ns.ip("route", "show", "table", "100")).contains("198.19.5.0/24 via 198.18.0.254");
    assertThat(ns.ip("route", "show")).doesNotContain("203.0.113.0/24");
    assertThat(ns.ip("rule", "show"))
        .doesNotContain("from 198.18.0.0/24")
        .contains("198.18.9.0/24");
    assertThat(engine.plan(desired).isEmpty()).isTrue();
  }

  @Test
  void aKernelErrorAtEveryPositionRestoresTheExactState() throws Exception {
    var desired = state(CHANGE);
    var plan = engine.plan(desired);
    assertThat(plan.ops().size()).isGreaterThan(15);
    for (int k = 0; k < plan.ops().size(); k++) {
      final int failAt = k;
      var hooks =
          new EngineHooks() {
            @Override
            public void beforeOp(int position, Op op) {
              if (position == failAt) {
                throw new IllegalStateException("injected failure before op " + position);
              }
            }
          };
      var result = engine.apply(desired, ApplyOptions.defaults().withHooks(hooks));
      assertThat(result)
          .as("failure at op %d (%s)", k, plan.ops().get(k).describe())
          .isInstanceOfSatisfying(
              ApplyResult.RolledBack.class,
              r -> assertThat(r.reason()).contains("injected failure before op " + failAt));
      ns.awaitState(before);
      assertThat(ns.stateFiles()).as("checkpoint removed").isEmpty();
    }
  }

  @Test
  void aRealKernelErrorRestoresTheExactState() throws Exception {
    // 203.0.113.77 is on no link: the kernel refuses the route (ENETUNREACH) after everything
    // else was applied.
    var bad =
        CHANGE
            + "\n"
            + """
            ---
            """;
    var desired =
        state(
            CHANGE.replace(
                "- {destination: 203.0.113.0/24, state: absent}",
                "- {destination: 203.0.113.0/24, state: absent}\n"
                    + "  - {destination: 198.19.1.0/24, next-hop-address: 203.0.113.77,"
                    + " next-hop-interface: eth1}"));
    assertThat(bad).isNotEmpty();
    var result = engine.apply(desired, ApplyOptions.defaults());
    assertThat(result)
        .isInstanceOfSatisfying(
            ApplyResult.RolledBack.class, r -> assertThat(r.reason()).contains("route append"));
    ns.awaitState(before);
  }

  @Test
  void aVerificationMismatchRestoresTheExactState() throws Exception {
    var hooks =
        new EngineHooks() {
          @Override
          public void afterApply(Target target) {
            ns.ip("link", "set", "eth1", "mtu", "1300");
          }
        };
    var result = engine.apply(state(CHANGE), ApplyOptions.defaults().withHooks(hooks));
    assertThat(result)
        .isInstanceOfSatisfying(
            ApplyResult.RolledBack.class,
            r ->
                assertThat(r.reason())
                    .contains("interfaces[eth1].mtu: desired 1450, current 1300"));
    ns.awaitState(before);
  }

  @Test
  void aFailedProbeRestoresTheExactState() throws Exception {
    Probe gateway =
        applied ->
            applied.byName().containsKey("br1") ? "gateway 198.18.9.254 does not answer" : null;
    var result = engine.apply(state(CHANGE), ApplyOptions.defaults().withProbes(List.of(gateway)));
    assertThat(result)
        .isInstanceOfSatisfying(
            ApplyResult.RolledBack.class,
            r -> assertThat(r.reason()).contains("probe 1 failed: gateway 198.18.9.254"));
    ns.awaitState(before);
  }

  @Test
  void deletedLinksComeBackWithTheirAttributesAddressesAndRoutes() throws Exception {
    ns.ip("link", "add", "mvold", "link", "eth1", "mtu", "1400", "type", "macvlan", "mode", "vepa");
    ns.ip("link", "set", "mvold", "up");
    ns.ip("addr", "add", "198.18.30.1/24", "dev", "mvold");
    ns.ip("route", "add", "198.19.30.0/24", "via", "198.18.30.254", "dev", "mvold");
    ns.ip("link", "add", "vx0", "type", "veth", "peer", "name", "vx1");
    ns.ip("link", "set", "vx1", "master", "br0");
    ns.ip("link", "set", "vx0", "up");
    ns.ip("link", "set", "vx1", "up");
    ns.ip("link", "set", "vx0", "alias", "kept alias");
    var start = settledIgnoringIndexes();
    var desired =
        state(
            """
            interfaces:
            - {name: mvold, state: absent}
            - {name: vx0, type: veth, state: absent}
            - {name: br0, type: linux-bridge, state: absent}
            - {name: eth1, type: ethernet, ipv6: {enabled: false}}
            """);
    var plan = engine.plan(desired);
    assertThat(plan.describe()).contains("ip link del mvold", "ip link del vx0", "ip link del br0");
    Probe failing = applied -> "API server unreachable";
    var result = engine.apply(desired, ApplyOptions.defaults().withProbes(List.of(failing)));
    assertThat(result).isInstanceOf(ApplyResult.RolledBack.class);
    EngineNetns.awaitEqual(start, ns::fullStateIgnoringIndexes);
  }

  private String settledIgnoringIndexes() {
    settled();
    return ns.fullStateIgnoringIndexes();
  }
}
