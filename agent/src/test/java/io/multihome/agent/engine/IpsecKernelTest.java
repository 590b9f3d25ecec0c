package io.multihome.agent.engine;

import static io.multihome.agent.engine.EngineAssertions.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multihome.state.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ipsec through the engine: planned (dry run), and applying it is refused before anything changes,
 * beside a link change in the same document (nothing of that is applied either).
 */
@Timeout(60)
class IpsecKernelTest extends EngineNetnsTestBase {

  @Test
  void applyingAnIpsecConnectionIsRefusedAndTouchesNothing() throws Exception {
    var start = ns.settled();
    var desired =
        state(
            "interfaces: [{name: eth1, type: ethernet, ipv4: {enabled: true, address: [{ip:"
                + " 198.18.93.1, prefix-length: 24}]}}, {name: c1, type: ipsec, libreswan:"
                + " {right: 198.18.93.2, left: 198.18.93.1, psk: s3cret, ikev2: insist}}]");
    var plan = engine.plan(desired);
    assertThat(String.join("\n", plan.describe()))
        .contains("ip addr add 198.18.93.1/24 dev eth1", "ipsec auto --add c1");
    assertThatThrownBy(() -> engine.apply(desired, ApplyOptions.defaults()))
        .isInstanceOfSatisfying(
            PlanException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(new Problem("interfaces[1].type", IpsecPlanner.REFUSAL)));
    assertThat(ns.settled()).isEqualTo(start);
  }
}
