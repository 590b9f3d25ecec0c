package io.multihome.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.state.DesiredState;
import io.multihome.state.StateParser;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A route's {@code mtu} (the RTAX_MTU metric) written, read, changed in place and rolled back,
 * checked against iproute2 both ways: what the engine writes {@code ip route} shows, and what
 * {@code ip route add ... mtu} wrote the engine reads.
 */
@Timeout(120)
class RouteMtuKernelTest extends EngineNetnsTestBase {

  @BeforeEach
  void setUp() throws Exception {
    ns.ip("addr", "add", "198.18.7.1/24", "dev", "eth1");
  }

  private static DesiredState route(String extra) throws IOException {
    var parsed =
        StateParser.parse(
            "routes: {config: [{destination: 203.0.113.0/24, next-hop-address: 198.18.7.254,"
                + " next-hop-interface: eth1"
                + extra
                + "}]}");
    assertThat(parsed.problems()).isEmpty();
    return parsed.state();
  }

  private String shownRoutes() {
    return io.multihome.state.StateWriter.toYaml(engine.show(n -> true));
  }

  @Test
  void writtenMtuIsWhatIproute2Shows() throws Exception {
    var result = engine.apply(route(", mtu: 1400"), ApplyOptions.defaults());
    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(result.plan().describe())
        .containsExactly(
            "ip route append 203.0.113.0/24 via 198.18.7.254 dev eth1 metric 0 mtu 1400");
    assertThat(ns.ip("route", "show", "203.0.113.0/24")).contains("mtu 1400");
    assertThat(shownRoutes()).contains("mtu: 1400");
    assertThat(engine.plan(route(", mtu: 1400")).isEmpty()).isTrue();
    assertThat(engine.plan(route("")).isEmpty()).as("no mtu given keeps the node's").isTrue();
  }

  @Test
  void iproute2sMtuIsReadChangedInPlaceAndRolledBack() throws Exception {
    ns.ip("route", "add", "203.0.113.0/24", "via", "198.18.7.254", "dev", "eth1", "mtu", "1300");
    assertThat(shownRoutes()).contains("mtu: 1300");
    var before = ns.fullState();

    var failing =
        engine.apply(
            route(", mtu: 1400"),
            ApplyOptions.defaults().withProbes(List.of(applied -> "path MTU probe says no")));
    assertThat(failing).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(ns.fullState()).isEqualTo(before);

    var result = engine.apply(route(", mtu: 1400"), ApplyOptions.defaults());
    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(result.plan().describe())
        .containsExactly(
            "ip route replace 203.0.113.0/24 via 198.18.7.254 dev eth1 metric 0 mtu 1400");
    assertThat(ns.ip("route", "show", "203.0.113.0/24"))
        .contains("mtu 1400")
        .doesNotContain("mtu 1300");
    assertThat(engine.differences(route(", mtu: 1400"))).isEmpty();
  }

  @Test
  void anAbsentEntryWithAnMtuRemovesOnlyRoutesWithThatMtu() throws Exception {
    ns.ip("route", "add", "203.0.113.0/24", "via", "198.18.7.254", "dev", "eth1", "mtu", "1300");
    ns.ip("route", "add", "203.0.113.128/25", "via", "198.18.7.254", "dev", "eth1");
    var absent =
        StateParser.parse(
                "routes: {config: [{next-hop-interface: eth1, mtu: 1300, state: absent}]}")
            .state();
    var result = engine.apply(absent, ApplyOptions.defaults());
    assertThat(result.plan().describe())
        .containsExactly("ip route del 203.0.113.0/24 via 198.18.7.254 dev eth1 mtu 1300");
    assertThat(ns.ip("route", "show"))
        .doesNotContain("203.0.113.0/24")
        .contains("203.0.113.128/25");
  }
}
