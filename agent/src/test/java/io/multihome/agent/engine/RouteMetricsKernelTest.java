package io.multihome.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multihome.state.DesiredState;
import io.multihome.state.StateParser;
import io.multihome.state.StateWriter;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Route TCP metrics ({@code cwnd}, {@code initcwnd}, {@code initrwnd}, {@code advmss}, {@code
 * quickack}, {@code lock-mtu}) and ECMP {@code weight}: applied, read back by iproute2 and by
 * {@code show}, verified, changed in place keeping what is not given, and rolled back exactly.
 */
@Timeout(120)
class RouteMetricsKernelTest extends EngineNetnsTestBase {

  @BeforeEach
  void setUp() {
    ns.ip("addr", "add", "198.18.7.1/24", "dev", "eth1");
    ns.ip("addr", "add", "198.18.8.1/24", "dev", "eth2");
  }

  private static DesiredState state(String yaml) throws IOException {
    var parsed = StateParser.parse(yaml);
    assertThat(parsed.problems()).isEmpty();
    return parsed.state();
  }

  private static DesiredState route(String extra) throws IOException {
    return state(
        "routes: {config: [{destination: 203.0.113.0/24, next-hop-address: 198.18.7.254,"
            + " next-hop-interface: eth1"
            + extra
            + "}]}");
  }

  private String shown() {
    return StateWriter.toYaml(engine.show(n -> true));
  }

  @Test
  void tcpMetricsAreWrittenAsIproute2WritesThemAndShown() throws Exception {
    var want =
        route(
            ", mtu: 1400, lock-mtu: true, cwnd: 20, initcwnd: 10, initrwnd: 30, advmss: 1360,"
                + " quickack: true");
    var result = engine.apply(want, ApplyOptions.defaults());
    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(result.plan().describe())
        .containsExactly(
            "ip route append 203.0.113.0/24 via 198.18.7.254 dev eth1 metric 0 mtu lock 1400"
                + " advmss 1360 cwnd lock 20 initcwnd 10 initrwnd 30 quickack 1");
    assertThat(ns.ip("route", "show", "203.0.113.0/24"))
        .contains(
            "mtu lock 1400",
            "advmss 1360",
            "cwnd lock 20",
            "initcwnd 10",
            "initrwnd 30",
            "quickack 1");
    assertThat(shown())
        .contains(
            "lock-mtu: true",
            "cwnd: 20",
            "initcwnd: 10",
            "initrwnd: 30",
            "advmss: 1360",
            "quickack: true");
    assertThat(engine.plan(want).isEmpty()).isTrue();
    assertThat(engine.plan(route("")).isEmpty()).as("metrics not given keep the node's").isTrue();
  }

  @Test
  void iproute2sMetricsAreReadAndOneChangesInPlaceKeepingTheOthers() throws Exception {
    ns.ip(
        "route",
        "add",
        "203.0.113.0/24",
        "via",
        "198.18.7.254",
        "dev",
        "eth1",
        "mtu",
        "1300",
        "initcwnd",
        "5",
        "cwnd",
        "lock",
        "7");
    assertThat(shown()).contains("initcwnd: 5", "cwnd: 7", "mtu: 1300");
    var before = ns.fullState();

    var failing =
        engine.apply(
            route(", initcwnd: 15"),
            ApplyOptions.defaults().withProbes(List.of(applied -> "the probe says no")));
    assertThat(failing).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(ns.fullState()).isEqualTo(before);

    var result = engine.apply(route(", initcwnd: 15"), ApplyOptions.defaults());
    assertThat(result.plan().describe())
        .containsExactly(
            "ip route replace 203.0.113.0/24 via 198.18.7.254 dev eth1 metric 0 mtu 1300"
                + " cwnd lock 7 initcwnd 15");
    assertThat(ns.ip("route", "show", "203.0.113.0/24"))
        .contains("initcwnd 15", "mtu 1300", "cwnd lock 7");
    assertThat(engine.differences(route(", initcwnd: 15"))).isEmpty();
  }

  private static final String ECMP =
      "routes: {config: [{destination: 203.0.113.0/24, next-hop-address: 198.18.7.254,"
          + " next-hop-interface: eth1, weight: 3, metric: 50},"
          + " {destination: 203.0.113.0/24, next-hop-address: 198.18.8.254,"
          + " next-hop-interface: eth2, weight: 1, metric: 50}]}";

  @Test
  void weightedRoutesBecomeOneMultipathRouteShownWithTheirWeights() throws Exception {
    var before = ns.fullState();
    var failing =
        engine.apply(
            state(ECMP),
            ApplyOptions.defaults().withProbes(List.of(applied -> "the probe says no")));
    assertThat(failing).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(ns.fullState()).isEqualTo(before);

    var result = engine.apply(state(ECMP), ApplyOptions.defaults());
    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(result.plan().describe())
        .containsExactly(
            "ip route add 203.0.113.0/24 metric 50 nexthop via 198.18.7.254 dev eth1 weight 3"
                + " nexthop via 198.18.8.254 dev eth2 weight 1");
    var ip = ns.ip("route", "show", "203.0.113.0/24");
    assertThat(ip)
        .contains("nexthop via 198.18.7.254 dev eth1 weight 3")
        .contains("nexthop via 198.18.8.254 dev eth2 weight 1");
    assertThat(shown()).contains("weight: 3", "weight: 1");
    assertThat(engine.plan(state(ECMP)).isEmpty()).isTrue();

    // Another weight replaces the multipath route whole; a rollback puts the old one back.
    var changed = ECMP.replace("weight: 1", "weight: 2");
    var applied = ns.fullState();
    var rolledBack =
        engine.apply(
            state(changed), ApplyOptions.defaults().withProbes(List.of(a -> "the probe says no")));
    assertThat(rolledBack).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(ns.fullState()).isEqualTo(applied);
    assertThat(engine.apply(state(changed), ApplyOptions.defaults()))
        .isInstanceOf(ApplyResult.Applied.class);
    assertThat(ns.ip("route", "show", "203.0.113.0/24")).contains("dev eth2 weight 2");
  }

  @Test
  void aWeightWithoutASecondNextHopIsRefusedAtItsPath() throws Exception {
    assertThatThrownBy(() -> engine.plan(route(", weight: 2")))
        .isInstanceOfSatisfying(
            PlanException.class,
            e -> assertThat(e.problems().get(0).path()).isEqualTo("routes.config[0].weight"));
  }
}
