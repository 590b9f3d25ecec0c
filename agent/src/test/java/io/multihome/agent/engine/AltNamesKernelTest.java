package io.multihome.agent.engine;

import static io.multihome.agent.engine.EngineAssertions.assertRefused;
import static io.multihome.agent.engine.EngineAssertions.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.state.StateWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code alt-names}: alternative names added with RTM_NEWLINKPROP and removed with RTM_DELLINKPROP
 * (what {@code ip link property add|del} does), names not listed kept, shown sorted, verified,
 * rolled back, and refused when another interface holds the name.
 */
@Timeout(120)
class AltNamesKernelTest extends EngineNetnsTestBase {

  @Test
  void addsRemovesShowsAndKeepsUnlistedNames() throws Exception {
    ns.ip("link", "property", "add", "dev", "eth1", "altname", "kept-name");
    var add =
        state(
            """
            interfaces:
            - name: eth1
              alt-names:
              - name: uplink-to-the-very-long-named-top-of-rack-switch
              - name: port1
            """);

    assertThat(engine.plan(add).describe())
        .containsExactly(
            "ip link property add dev eth1 altname uplink-to-the-very-long-named-top-of-rack-switch",
            "ip link property add dev eth1 altname port1");
    var result = engine.apply(add, ApplyOptions.defaults());

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(ns.ip("link", "show", "eth1"))
        .contains(
            "altname kept-name",
            "altname uplink-to-the-very-long-named-top-of-rack-switch",
            "altname port1");
    assertThat(StateWriter.toYaml(engine.show("eth1"::equals)))
        .contains(
            """
              alt-names:
              - name: kept-name
              - name: port1
              - name: uplink-to-the-very-long-named-top-of-rack-switch
            """);
    assertThat(engine.plan(add).isEmpty()).isTrue();
    // The new name is the interface's now: a state may name it by it.
    assertThat(engine.plan(state("interfaces: [{name: port1, mtu: 1400}]")).describe())
        .containsExactly("ip link set eth1 mtu 1400");

    var remove =
        state(
            """
            interfaces:
            - name: eth1
              alt-names:
              - name: port1
                state: absent
              - name: never-there
                state: absent
            """);
    assertThat(engine.apply(remove, ApplyOptions.defaults()))
        .isInstanceOf(ApplyResult.Applied.class);
    assertThat(ns.ip("link", "show", "eth1"))
        .contains("altname kept-name", "altname uplink-to-the-very-long-named-top-of-rack-switch")
        .doesNotContain("altname port1");
    assertThat(engine.differences(remove)).isEmpty();
  }

  @Test
  void aNameAnotherInterfaceHoldsIsRefusedBeforeAnythingChanges() throws Exception {
    ns.ip("link", "property", "add", "dev", "eth2", "altname", "taken");
    var before = ns.fullState();

    assertRefused(
            () ->
                engine.plan(
                    state(
                        """
                        interfaces:
                        - name: eth1
                          mtu: 1400
                          alt-names: [{name: taken}, {name: eth2}]
                        """)))
        .containsExactlyInAnyOrder(
            "interfaces[0].alt-names[0].name: alt-name taken is already used by interface eth2",
            "interfaces[0].alt-names[1].name: alt-name eth2 is the name of another interface");
    assertThat(ns.fullState()).isEqualTo(before);
  }

  @Test
  void aFailedApplyPutsTheAlternativeNamesBack() throws Exception {
    ns.ip("link", "property", "add", "dev", "eth1", "altname", "old-name");
    var before = ns.fullState();
    var desired =
        state(
            """
            interfaces:
            - name: eth1
              mtu: 1400
              alt-names:
              - name: old-name
                state: absent
              - name: new-name
            """);
    var failing =
        ApplyOptions.defaults().withProbes(java.util.List.of(applied -> "the probe says no"));

    var result = engine.apply(desired, failing);

    assertThat(result).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(ns.ip("link", "show", "eth1")).contains("altname old-name");
    assertThat(ns.fullState()).isEqualTo(before);
  }
}
