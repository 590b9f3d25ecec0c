package io.multihome.agent.engine;

import static io.multihome.agent.engine.EngineAssertions.assertRefused;
import static io.multihome.agent.engine.EngineAssertions.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.state.StateWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code identifier: mac-address} and {@code profile-name}: a NIC found by its MAC address under a
 * profile name, the profile kept in the state directory so later documents may use that name, shown
 * with {@code identifier} and {@code profile-name}, forgotten on {@code state: absent}, put back on
 * rollback; and {@code copy-mac-from}. ({@code pci-address} needs a PCI NIC: the kernel-VM tier's
 * igb; here the veths have none and it is refused.)
 */
@Timeout(120)
class IdentifierKernelTest extends EngineNetnsTestBase {

  private String mac(String link) {
    return engine.snapshot().byName().get(link).link().mac().toString().toUpperCase();
  }

  @Test
  void aNicFoundByMacAddressIsKeptUnderItsProfileName() throws Exception {
    var mac = mac("eth1");
    var byMac =
        state(
            """
            interfaces:
            - name: wan0
              type: ethernet
              identifier: mac-address
              mac-address: "%s"
              mtu: 1400
            """
                .formatted(mac.toLowerCase()));

    assertThat(engine.plan(byMac).describe()).contains("ip link set eth1 mtu 1400");
    assertThat(engine.apply(byMac, ApplyOptions.defaults()))
        .isInstanceOf(ApplyResult.Applied.class);

    assertThat(ns.ip("link", "show", "eth1")).contains("mtu 1400");
    assertThat(StateWriter.toYaml(engine.show("eth1"::equals)))
        .contains(
            "name: eth1\n  profile-name: wan0", "identifier: mac-address", "mac-address: " + mac);
    assertThat(engine.plan(byMac).isEmpty()).isTrue();
    assertThat(engine.plan(engine.show("eth1"::equals)).isEmpty()).isTrue();

    // Later documents may name the NIC by its profile name.
    var byProfile = state("interfaces: [{name: wan0, mtu: 1300}]");
    assertThat(engine.apply(byProfile, ApplyOptions.defaults()))
        .isInstanceOf(ApplyResult.Applied.class);
    assertThat(ns.ip("link", "show", "eth1")).contains("mtu 1300");

    // Absent: the NIC is unconfigured (not deleted) and its profile forgotten.
    assertThat(
            engine.apply(
                state("interfaces: [{name: wan0, state: absent}]"), ApplyOptions.defaults()))
        .isInstanceOf(ApplyResult.Applied.class);
    assertThat(ns.ip("link", "show", "eth1")).contains("state DOWN");
    assertThat(KeptSettings.read(KeptSettings.file(ns.stateDir, ns.target())).profiles()).isEmpty();
    assertThat(StateWriter.toYaml(engine.show("eth1"::equals))).doesNotContain("identifier");
  }

  @Test
  void unknownAddressesAreRefusedAtTheirPath() throws Exception {
    var before = ns.fullState();
    assertRefused(
            () ->
                engine.plan(
                    state(
                        """
                        interfaces:
                        - name: wan0
                          type: ethernet
                          identifier: mac-address
                          mac-address: 02:00:5E:00:53:99
                        - name: lan0
                          type: ethernet
                          identifier: pci-address
                          pci-address: "0000:07:00.0"
                        """)))
        .containsExactlyInAnyOrder(
            "interfaces[0].mac-address: no interface holds MAC address 02:00:5E:00:53:99"
                + " (identifier: mac-address)",
            "interfaces[1].pci-address: no interface has its device at PCI address 0000:07:00.0"
                + " (identifier: pci-address)");
    assertThat(ns.fullState()).isEqualTo(before);
  }

  @Test
  void aFailedApplyForgetsTheProfileItMade() throws Exception {
    var keptFile = KeptSettings.file(ns.stateDir, ns.target());
    var desired =
        state(
            """
            interfaces:
            - name: wan0
              type: ethernet
              identifier: mac-address
              mac-address: "%s"
            """
                .formatted(mac("eth1")));

    var result =
        engine.apply(desired, ApplyOptions.defaults().withProbes(List.of(applied -> "no")));

    assertThat(result).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(keptFile).doesNotExist();
  }

  @Test
  void aBridgeCopiesThePortsMacAddress() throws Exception {
    var mac = mac("eth2");
    var desired =
        state(
            """
            interfaces:
            - name: br0
              type: linux-bridge
              copy-mac-from: eth2
              bridge:
                port: [{name: eth1}, {name: eth2}]
            """);

    assertThat(engine.apply(desired, ApplyOptions.defaults()))
        .isInstanceOf(ApplyResult.Applied.class);

    assertThat(mac("br0")).isEqualTo(mac);
    assertThat(engine.plan(desired).isEmpty()).isTrue();
    assertRefused(
            () ->
                engine.plan(
                    state("interfaces: [{name: br1, type: linux-bridge, copy-mac-from: eth9}]")))
        .containsExactly(
            "interfaces[0].copy-mac-from: interface eth9 does not exist, so it has no MAC"
                + " address to copy");
  }
}
