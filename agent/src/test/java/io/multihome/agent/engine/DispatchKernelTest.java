package io.multihome.agent.engine;

import static io.multihome.agent.engine.EngineAssertions.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.state.StateWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code dispatch}: scripts kept with the interface, run after the apply inside the namespace with
 * the interface and the action as {@code $1} and {@code $2}; a failing or hanging script rolls the
 * apply back (kept scripts included); {@code post-deactivation} runs when the interface goes down.
 */
@Timeout(120)
class DispatchKernelTest extends EngineNetnsTestBase {

  @Test
  void postActivationRunsInTheNamespaceAndIsShown() throws Exception {
    var desired =
        state(
            """
            interfaces:
            - name: eth1
              mtu: 1400
              dispatch:
                post-activation: |
                  ip link set "$1" alias "dispatched $2"
                post-deactivation: |
                  ip link set "$1" alias "went $2"
            """);

    var result = engine.apply(desired, ApplyOptions.defaults());

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    // The script ran inside the namespace: it found eth1 there.
    assertThat(ns.ip("link", "show", "eth1")).contains("alias dispatched up");
    assertThat(StateWriter.toYaml(engine.show("eth1"::equals)))
        .contains("dispatch:", "post-activation: |", "ip link set \"$1\" alias \"dispatched $2\"");
    assertThat(engine.plan(desired).isEmpty()).isTrue();

    var down = state("interfaces: [{name: eth1, state: down}]");
    assertThat(engine.apply(down, ApplyOptions.defaults())).isInstanceOf(ApplyResult.Applied.class);
    assertThat(ns.ip("link", "show", "eth1")).contains("alias went down");

    var removed =
        state(
            "interfaces: [{name: eth1, dispatch: {post-activation: \"\", post-deactivation: \"\"}}]");
    assertThat(engine.apply(removed, ApplyOptions.defaults()))
        .isInstanceOf(ApplyResult.Applied.class);
    assertThat(StateWriter.toYaml(engine.show("eth1"::equals))).doesNotContain("dispatch");
  }

  @Test
  void aFailingScriptRollsTheApplyBack() throws Exception {
    var before = ns.fullState();
    var desired =
        state(
            """
            interfaces:
            - name: eth1
              mtu: 1400
              dispatch:
                post-activation: "echo no such thing >&2; exit 3"
            """);

    var result = engine.apply(desired, ApplyOptions.defaults());

    assertThat(result).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(((ApplyResult.RolledBack) result).reason())
        .isEqualTo("dispatch eth1 post-activation script failed with exit code 3: no such thing");
    assertThat(ns.fullState()).isEqualTo(before);
    assertThat(KeptSettings.file(ns.stateDir, ns.target())).doesNotExist();
  }

  @Test
  void aScriptThatDoesNotFinishIsKilledAndRolledBack() throws Exception {
    var desired =
        state(
            """
            interfaces:
            - name: eth1
              mtu: 1400
              dispatch:
                post-activation: "sleep 600"
            """);
    long start = System.nanoTime();

    var result = engine.apply(desired, ApplyOptions.defaults().noCommit(Duration.ofSeconds(2)));

    assertThat(result).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(((ApplyResult.RolledBack) result).reason())
        .isEqualTo("dispatch eth1 post-activation script did not finish within 2 s (killed)");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    assertThat(ns.ip("link", "show", "eth1")).contains("mtu 1500");
  }
}
