package io.multihome.kernelvm;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.agent.engine.ApplyOptions;
import io.multihome.agent.engine.ApplyResult;
import io.multihome.agent.engine.Engine;
import io.multihome.agent.engine.Target;
import io.multihome.state.DesiredState;
import io.multihome.state.StateParser;
import io.multihome.state.StateWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The engine on QEMU's emulated igb NIC (a real PCI device) moved into a test namespace and renamed
 * eth1: {@code identifier: pci-address} finds it by its PCI address under a profile name, {@code
 * ethernet.sr-iov.drivers-autoprobe} writes the PF's {@code sriov_drivers_autoprobe} before the VFs
 * are made (so they stay without a driver), and {@code ethtool} sets the ring sizes and coalescing
 * of a real driver; each verified and rolled back.
 */
@Tag("kernel-vm")
@ResourceLock("emulated-igb")
class IgbEngineKernelTest {
  @TempDir Path stateDir;
  private TestNetns netns;
  private Path pf;
  private String pci;
  private Engine engine;

  @BeforeEach
  void pfNamedEth1InANamespace() throws IOException {
    KernelFeature.require(KernelFeature.EMULATED_SRIOV_NIC);
    pf = EmulatedIgb.find().orElseThrow();
    pci = pf.toRealPath().getFileName().toString();
    String name;
    try (var names = Files.list(pf.resolve("net"))) {
      name = names.map(p -> p.getFileName().toString()).findFirst().orElseThrow();
    }
    netns = TestNetns.create("mh-ig-");
    Commands.run("ip", "link", "set", name, "down").orFail();
    Commands.run("ip", "link", "set", name, "netns", netns.name()).orFail();
    netns.ip("link", "set", name, "name", "eth1");
    netns.onClose(
        () -> {
          write(pf.resolve("sriov_numvfs"), "0");
          write(pf.resolve("sriov_drivers_autoprobe"), "1");
          netns.ip("link", "set", "eth1", "down");
          netns.ip("link", "set", "eth1", "name", name);
          netns.ip("link", "set", name, "netns", "1");
        });
    engine = Engine.open(Target.of(netns.name()), stateDir);
  }

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
    if (netns != null) {
      netns.close();
    }
  }

  private static DesiredState state(String yaml) throws Exception {
    var parsed = StateParser.parse(io.multihome.state.Documents.read(yaml).documents().get(0));
    assertThat(parsed.problems()).isEmpty();
    return parsed.state();
  }

  private static void write(Path file, String value) {
    try {
      Files.writeString(file, value);
    } catch (IOException e) {
      throw new AssertionError("cannot write " + file, e);
    }
  }

  @Test
  void aNicFoundByItsPciAddress() throws Exception {
    var desired =
        state(
            """
            interfaces:
            - name: wan0
              type: ethernet
              identifier: pci-address
              pci-address: "%s"
              mtu: 1400
            """
                .formatted(pci));

    var result = engine.apply(desired, ApplyOptions.defaults());

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(netns.link("eth1").path("mtu").asInt()).isEqualTo(1400);
    assertThat(StateWriter.toYaml(engine.show("eth1"::equals)))
        .contains("profile-name: wan0", "identifier: pci-address")
        // quoted: a YAML 1.1 reader would take 0000:00:01.0 for a base-60 number
        .containsPattern("pci-address: \"?" + java.util.regex.Pattern.quote(pci));
    assertThat(engine.plan(desired).isEmpty()).isTrue();
    assertThat(engine.plan(state("interfaces: [{name: wan0, mtu: 1400}]")).isEmpty()).isTrue();
  }

  @Test
  void driversAutoprobeOffLeavesTheNewVfsWithoutADriver() throws Exception {
    var desired =
        state(
            """
            interfaces:
            - name: eth1
              type: ethernet
              ethernet:
                sr-iov:
                  drivers-autoprobe: false
                  total-vfs: 1
            """);
    var failed = engine.apply(desired, ApplyOptions.defaults().withProbes(List.of(a -> "no")));
    assertThat(failed).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(EmulatedIgb.read(pf.resolve("sriov_drivers_autoprobe"))).isEqualTo("1");
    assertThat(EmulatedIgb.read(pf.resolve("sriov_numvfs"))).isEqualTo("0");

    var result = engine.apply(desired, ApplyOptions.defaults());

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(EmulatedIgb.read(pf.resolve("sriov_drivers_autoprobe"))).isEqualTo("0");
    assertThat(EmulatedIgb.read(pf.resolve("sriov_numvfs"))).isEqualTo("1");
    assertThat(pf.resolve("virtfn0/driver")).doesNotExist();
    assertThat(StateWriter.toYaml(engine.show("eth1"::equals)))
        .contains("drivers-autoprobe: false");
    assertThat(engine.plan(desired).isEmpty()).isTrue();
  }

  @Test
  void ringAndCoalescingOfARealDriver() throws Exception {
    var desired =
        state(
            """
            interfaces:
            - name: eth1
              type: ethernet
              ethtool:
                ring: {rx: 512, tx: 512}
                coalesce: {rx-usecs: 10}
            """);

    var result = engine.apply(desired, ApplyOptions.defaults());

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(engine.differences(desired)).isEmpty();
    assertThat(StateWriter.toYaml(engine.show("eth1"::equals)))
        .contains("rx: 512", "tx: 512", "rx-usecs: 10", "rx-max: 4096");
  }

  /**
   * nmstate's own SR-IOV examples, unchanged but for the documentation address moved into
   * 198.18.0.0/15 (kept in the agent's src/test/resources/upstream): examples/eth1_with_sriov.yml
   * (autoprobe on, one VF with MAC, spoof check, trust, VLAN 102 and QoS 5), then
   * examples/policy/enable_lldp/current.yml (two VFs, a MAC address and an address on the PF, LLDP
   * off). The upstream-examples test cannot plan these on a veth; here they apply on a real PF.
   */
  @Test
  void nmstatesSriovExamplesApplyOnARealPf() throws Exception {
    var withSriov = state(upstream("eth1_with_sriov.yml"));

    assertThat(engine.apply(withSriov, ApplyOptions.defaults()))
        .isInstanceOf(ApplyResult.Applied.class);

    assertThat(EmulatedIgb.read(pf.resolve("sriov_numvfs"))).isEqualTo("1");
    assertThat(netns.ip("-d", "link", "show", "eth1").orFail().stdout())
        .contains("vf 0", "ee:2a:4e:8e:71:f5", "vlan 102, qos 5", "spoof checking on")
        .contains("trust off");
    assertThat(engine.plan(withSriov).isEmpty()).isTrue();

    var lldpCurrent =
        state(upstream("policy/enable_lldp/current.yml").replace("192.0.2.", "198.18.2."));

    assertThat(engine.apply(lldpCurrent, ApplyOptions.defaults()))
        .isInstanceOf(ApplyResult.Applied.class);

    assertThat(EmulatedIgb.read(pf.resolve("sriov_numvfs"))).isEqualTo("2");
    assertThat(netns.ip("addr", "show", "eth1").orFail().stdout()).contains("198.18.2.251/24");
    assertThat(netns.ip("link", "show", "eth1").orFail().stdout()).contains("1c:c1:0c:32:3b:ff");
    assertThat(engine.plan(lldpCurrent).isEmpty()).isTrue();
  }

  private static String upstream(String file) throws IOException {
    // Tests run in their module's directory (the tier runs them all from agent/).
    return Files.readString(
        Path.of("..", "agent", "src", "test", "resources", "upstream", "nmstate-examples", file));
  }
}
