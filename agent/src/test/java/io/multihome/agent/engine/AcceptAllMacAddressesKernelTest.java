package io.multihome.agent.engine;

import static io.multihome.agent.engine.EngineAssertions.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.state.StateWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code accept-all-mac-addresses} (issue 19 asked what the engine does): promiscuous mode,
 * applied, shown, verified and rolled back.
 */
@Timeout(120)
class AcceptAllMacAddressesKernelTest extends EngineNetnsTestBase {

  @Test
  void promiscuousModeIsAppliedShownAndRolledBack() throws Exception {
    var on = state("interfaces: [{name: eth1, accept-all-mac-addresses: true}]");

    var failed = engine.apply(on, ApplyOptions.defaults().withProbes(List.of(a -> "no")));
    assertThat(failed).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(ns.ip("link", "show", "eth1")).doesNotContain("PROMISC");

    var result = engine.apply(on, ApplyOptions.defaults());

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(ns.ip("link", "show", "eth1")).contains("PROMISC");
    assertThat(StateWriter.toYaml(engine.show("eth1"::equals)))
        .contains("accept-all-mac-addresses: true");
    assertThat(engine.plan(on).isEmpty()).isTrue();
    var off = state("interfaces: [{name: eth1, accept-all-mac-addresses: false}]");
    assertThat(engine.apply(off, ApplyOptions.defaults())).isInstanceOf(ApplyResult.Applied.class);
    assertThat(ns.ip("link", "show", "eth1")).doesNotContain("PROMISC");
  }
}
