package io.multihome.agent.engine;

import static io.multihome.agent.engine.EngineAssertions.assertRefused;
import static io.multihome.agent.engine.EngineAssertions.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.agent.netlink.Ethtool;
import io.multihome.agent.netlink.EthtoolSettings;
import io.multihome.agent.netlink.RtNetlink;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ethtool} over ethtool netlink. On a veth: offload features (nmstate's aliases such as
 * {@code gro} included) turned off and on, verified and rolled back; what a veth's driver lacks
 * (ring, coalesce, pause) and what it cannot change (fixed features) refused before anything
 * changes. On a netdevsim port (kernel-VM tier): ring sizes, coalescing and pause parameters.
 */
@Timeout(120)
class EthtoolKernelTest extends EngineNetnsTestBase {

  private EthtoolSettings read(String dev) {
    try (var genl = RtNetlink.openGeneric(ns.name)) {
      return Ethtool.on(genl).settings().read(dev);
    }
  }

  @Test
  void vethFeaturesAreTurnedOffVerifiedShownAndRolledBack() throws Exception {
    var before = read("eth1").features();
    assertThat(before.changeable()).contains("rx-gro", "tx-checksum-ip-generic");
    assertThat(before.active()).contains("tx-checksum-ip-generic").doesNotContain("rx-gro");
    var off =
        state(
            """
            interfaces:
            - name: eth1
              ethtool:
                feature:
                  gro: true
                  tx-checksum-ip-generic: false
            """);

    var result = engine.apply(off, ApplyOptions.defaults());

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(result.plan().describe())
        .containsExactly("ethtool -K eth1 rx-gro on tx-checksum-ip-generic off");
    var now = read("eth1").features();
    assertThat(now.active()).contains("rx-gro").doesNotContain("tx-checksum-ip-generic");
    assertThat(engine.plan(off).isEmpty()).isTrue();
    assertThat(io.multihome.state.StateWriter.toYaml(engine.show("eth1"::equals)))
        .contains("rx-gro: true", "tx-checksum-ip-generic: false");

    var on =
        state("interfaces: [{name: eth1, ethtool: {feature: {tx-checksum-ip-generic: true}}}]");
    var failed = engine.apply(on, ApplyOptions.defaults().withProbes(List.of(a -> "no")));
    assertThat(failed).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(read("eth1").features().active()).doesNotContain("tx-checksum-ip-generic");
    assertThat(engine.apply(on, ApplyOptions.defaults())).isInstanceOf(ApplyResult.Applied.class);
    assertThat(read("eth1").features().active()).contains("tx-checksum-ip-generic");
  }

  @Test
  void whatAVethCannotDoIsRefusedBeforeAnythingChanges() throws Exception {
    var features = read("eth1").features();
    var fixed = features.all().stream().filter(f -> !features.changeable().contains(f)).findFirst();
    assertThat(fixed).as("a veth has features it cannot change (vlan-challenged)").isPresent();
    var name = fixed.get();
    boolean on = features.active().contains(name);
    var snapshot = ns.fullState();

    assertRefused(
            () ->
                engine.plan(
                    state(
                        """
                        interfaces:
                        - name: eth1
                          mtu: 1400
                          ethtool:
                            feature: {%s: %s, no-such-feature: true}
                            ring: {rx: 512}
                            coalesce: {rx-usecs: 10}
                            pause: {rx: true}
                        """
                            .formatted(name, !on))))
        .containsExactlyInAnyOrder(
            "interfaces[0].ethtool.feature."
                + name
                + ": eth1 cannot change "
                + name
                + " (the driver reports it fixed "
                + (on ? "on" : "off")
                + ")",
            "interfaces[0].ethtool.feature.no-such-feature: eth1 has no changeable feature"
                + " no-such-feature (see ethtool -k eth1)",
            "interfaces[0].ethtool.ring: eth1 does not support ring parameters (the kernel"
                + " answered that its driver has none)",
            "interfaces[0].ethtool.coalesce: eth1 does not support interrupt coalescing (the"
                + " kernel answered that its driver has none)",
            "interfaces[0].ethtool.pause: eth1 does not support pause parameters (the kernel"
                + " answered that its driver has none)");
    assertThat(ns.fullState()).isEqualTo(snapshot);
  }

  @Tag("kernel-vm")
  @Test
  void ringCoalesceAndPauseOnANetdevsimPort() throws Exception {
    try (var port =
        NetdevsimPort.create(ns, "eth9", "whose driver has rings, coalescing and pause")) {
      var desired =
          state(
              """
              interfaces:
              - name: eth9
                type: ethernet
                ethtool:
                  ring: {rx: 512, tx: 256}
                  coalesce: {rx-usecs: 10, tx-frames: 4, adaptive-rx: true}
                  pause: {autoneg: false, rx: true, tx: true}
              """);
      var before = read("eth9");

      var failed = engine.apply(desired, ApplyOptions.defaults().withProbes(List.of(a -> "no")));
      assertThat(failed).isInstanceOf(ApplyResult.RolledBack.class);
      assertThat(read("eth9")).isEqualTo(before);

      var result = engine.apply(desired, ApplyOptions.defaults());

      assertThat(result).isInstanceOf(ApplyResult.Applied.class);
      var now = read("eth9");
      assertThat(now.rings().get(EthtoolSettings.RINGS_RX)).isEqualTo(512L);
      assertThat(now.rings().get(EthtoolSettings.RINGS_TX)).isEqualTo(256L);
      assertThat(now.coalesce().get(EthtoolSettings.COALESCE.get("rx-usecs"))).isEqualTo(10L);
      assertThat(now.coalesce().get(EthtoolSettings.COALESCE.get("adaptive-rx"))).isEqualTo(1L);
      assertThat(now.pause()).isEqualTo(new EthtoolSettings.Pause(false, true, true));
      assertThat(engine.differences(desired)).isEmpty();
      assertThat(io.multihome.state.StateWriter.toYaml(engine.show("eth9"::equals)))
          .contains("rx: 512", "rx-usecs: 10", "adaptive-rx: true");
      assertRefused(
              () ->
                  engine.plan(state("interfaces: [{name: eth9, ethtool: {ring: {rx: 99999999}}}]")))
          .singleElement()
          .asString()
          .startsWith("interfaces[0].ethtool.ring.rx: 99999999 is above the maximum");
    }
  }
}
