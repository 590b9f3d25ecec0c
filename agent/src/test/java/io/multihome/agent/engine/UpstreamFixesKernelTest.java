package io.multihome.agent.engine;

import static io.multihome.agent.engine.EngineAssertions.state;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine bugs upstream's own example files exposed (issue 15), each test built from the file
 * named in it (kept under {@code src/test/resources/upstream/}).
 */
@Timeout(120)
class UpstreamFixesKernelTest extends EngineNetnsTestBase {

  /** nmstate examples/eth1_del_all_route_rules.yml: the kernel's default rules stay. */
  @Test
  void deletingAllRulesOfTheMainTableKeepsTheKernelsDefaultRules() {
    ns.ip("rule", "add", "from", "198.18.1.0/24", "lookup", "254", "priority", "1000");
    ns.ip("-6", "rule", "add", "from", "2001:db8:1::/64", "lookup", "254", "priority", "1001");
    var desired = Upstream.state("nmstate-examples/eth1_del_all_route_rules.yml");

    var result = engine.apply(desired, ApplyOptions.defaults());

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(ns.ip("rule", "show"))
        .doesNotContain("198.18.1.0/24")
        .contains(
            "0:\tfrom all lookup local",
            "32766:\tfrom all lookup main",
            "32767:\tfrom all lookup default");
    assertThat(ns.ip("-6", "rule", "show"))
        .doesNotContain("2001:db8:1::/64")
        .contains("0:\tfrom all lookup local", "32766:\tfrom all lookup main");
    assertThat(engine.plan(desired).ops()).isEmpty();
  }

  /**
   * kubernetes-nmstate docs/examples/route.yaml, then the same destination and metric through a
   * second gateway (nmstate's examples/eth1_add_route.yml names 192.0.2.1 for it): both routes
   * stay, as {@code ip route append} keeps them; IPv6 makes them one multipath route, shown and
   * kept as two next hops.
   */
  @Test
  void aSecondGatewayToTheSameDestinationAndMetricIsAppended() throws Exception {
    var first = Upstream.state("kubernetes-nmstate-examples/route.yaml");
    assertThat(engine.apply(first, ApplyOptions.defaults()))
        .isInstanceOf(ApplyResult.Applied.class);
    var second =
        state(
            """
            interfaces:
            - name: eth1
              type: ethernet
              ipv6:
                enabled: true
                address: [{ip: "2001:db8:2::5", prefix-length: 64}]
            routes:
              config:
              - {destination: 203.0.113.0/24, metric: 150, next-hop-address: 198.18.2.1,
                 next-hop-interface: eth1, table-id: 254}
              - {destination: "2001:db8:9::/64", metric: 150, next-hop-address: "2001:db8:2::1",
                 next-hop-interface: eth1}
              - {destination: "2001:db8:9::/64", metric: 150, next-hop-address: "2001:db8:2::2",
                 next-hop-interface: eth1}
            """);

    var result = engine.apply(second, ApplyOptions.defaults());

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(ns.ip("route", "show", "203.0.113.0/24"))
        .contains("via 198.18.2.2 dev eth1", "via 198.18.2.1 dev eth1");
    assertThat(ns.ip("-6", "route", "show", "2001:db8:9::/64"))
        .contains("via 2001:db8:2::1 dev eth1", "via 2001:db8:2::2 dev eth1");
    assertThat(engine.plan(first).ops()).isEmpty();
    assertThat(engine.plan(second).ops()).isEmpty();
    var shown = engine.show(n -> true).routes();
    assertThat(shown.stream().filter(r -> "2001:db8:9::/64".equals(r.destination())).count())
        .isEqualTo(2);
  }
}
