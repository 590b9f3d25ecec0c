package io.multihome.kernelvm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.agent.engine.ApplyOptions;
import io.multihome.agent.engine.ApplyResult;
import io.multihome.agent.engine.Engine;
import io.multihome.agent.engine.EngineHooks;
import io.multihome.agent.engine.Op;
import io.multihome.agent.engine.Target;
import io.multihome.state.DesiredState;
import io.multihome.state.Documents;
import io.multihome.state.EthernetConfig;
import io.multihome.state.Interface;
import io.multihome.state.StateParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine applies docs/examples/sriov-vfs.yaml ({@code ethernet.sr-iov}: total-vfs 4 and VF
 * settings) on a real kernel: a netdevsim PF renamed eth1 in a throwaway namespace. sriov_numvfs is
 * written through sysfs, the VF settings through netlink on the PF; verification reads both back, a
 * second apply is an empty plan, and a failure rolls the VF count and settings back.
 */
@Tag("kernel-vm")
class SriovEngineKernelTest {
  private TestNetns netns;
  private Netdevsim sim;
  private Engine engine;
  @TempDir Path stateDir;

  @BeforeEach
  void pfNamedEth1() {
    KernelFeature.require(KernelFeature.NETDEVSIM);
    netns = TestNetns.create("mh-sv-");
    sim = Netdevsim.create(netns);
    netns.ip("link", "set", sim.port, "name", "eth1");
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

  static DesiredState example() throws Exception {
    var text = Files.readString(Path.of("..", "docs", "examples", "sriov-vfs.yaml"));
    var doc = Documents.read(text).documents().get(0);
    var parsed = StateParser.parse(doc.path("spec").path("desiredState"));
    assertThat(parsed.problems()).isEmpty();
    return parsed.state();
  }

  @Test
  void appliesTheExampleVerifiesAndReappliesWithAnEmptyPlan() throws Exception {
    var desired = example();
    assertThat(engine.plan(desired).describe())
        .contains(
            "echo 4 > /sys/class/net/eth1/device/sriov_numvfs",
            "ip link set eth1 vf 0 vlan 110 qos 0",
            "ip link set eth1 vf 1 trust on");

    var result = engine.apply(desired, ApplyOptions.defaults());

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(sim.numVfs()).isEqualTo(4);
    var vfs = netns.link("eth1").path("vfinfo_list");
    assertThat(vfs).hasSize(4);
    var vf0 = vf(vfs, 0);
    assertThat(vf0.path("address").asText()).isEqualTo("02:00:5e:10:00:01");
    assertThat(vf0.at("/vlan_list/0/vlan").asInt()).isEqualTo(110);
    assertThat(vf0.path("spoofchk").asBoolean()).isTrue();
    var vf1 = vf(vfs, 1);
    assertThat(vf1.path("trust").asBoolean()).isTrue();
    assertThat(vf1.at("/rate/max_tx").asInt()).isEqualTo(1000);
    assertThat(engine.differences(desired)).isEmpty();
    assertThat(engine.plan(desired).isEmpty()).isTrue();
    assertThat(Files.list(stateDir).filter(f -> !f.toString().endsWith(".lock")).toList())
        .as("checkpoint removed (the apply lock file stays)")
        .isEmpty();

    // show reports the PF's sr-iov section, and applying it back changes nothing.
    var shown = engine.show("eth1"::equals);
    var eth1 = (Interface.Ethernet) shown.interfaces().get(0);
    EthernetConfig.SrIov s = eth1.ethernet().srIov();
    assertThat(s.totalVfs()).isEqualTo(4);
    assertThat(s.vfs()).hasSize(4);
    assertThat(s.vfs().get(0).vlanId()).isEqualTo(110);
    assertThat(s.vfs().get(0).macAddress()).isEqualTo("02:00:5E:10:00:01");
    assertThat(s.vfs().get(1).maxTxRate()).isEqualTo(1000);
    assertThat(engine.plan(shown).isEmpty()).isTrue();
  }

  @Test
  void aMismatchIsReportedPathPreciselyAndRolledBack() throws Exception {
    var before = netns.link("eth1").path("vfinfo_list");
    // Behind the engine's back, after its changes and before verification.
    var hooks =
        new EngineHooks() {
          @Override
          public void afterApply(Target target) {
            netns.ip("link", "set", "eth1", "vf", "0", "vlan", "7");
          }
        };

    var result = engine.apply(example(), ApplyOptions.defaults().withHooks(hooks));

    assertThat(result).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(((ApplyResult.RolledBack) result).reason())
        .contains("interfaces[eth1].ethernet.sr-iov.vfs[0].vlan-id: desired 110, current 7");
    assertThat(sim.numVfs()).isZero();
    assertThat(netns.link("eth1").path("vfinfo_list")).isEqualTo(before);
  }

  @Test
  void anInjectedFailureRestoresTheVfCountAndEverySetting() throws Exception {
    // The PF starts with 2 configured VFs: the plan goes 2 -> 0 -> 4 and must come back.
    sim.setNumVfs(2);
    netns.ip("link", "set", "eth1", "vf", "0", "mac", "02:00:5e:10:00:0a", "vlan", "5", "qos", "1");
    netns.ip("link", "set", "eth1", "vf", "1", "trust", "on", "max_tx_rate", "300");
    var before = netns.link("eth1").path("vfinfo_list");
    var desired = example();
    int ops = engine.plan(desired).ops().size();
    var hooks =
        new EngineHooks() {
          @Override
          public void beforeOp(int position, Op op) {
            if (position == ops - 1) {
              throw new IllegalStateException("injected failure before the last op");
            }
          }
        };

    var result = engine.apply(desired, ApplyOptions.defaults().withHooks(hooks));

    assertThat(result).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(((ApplyResult.RolledBack) result).reason()).contains("injected failure");
    assertThat(sim.numVfs()).isEqualTo(2);
    assertThat(netns.link("eth1").path("vfinfo_list")).isEqualTo(before);
    assertThat(Files.list(stateDir).filter(f -> !f.toString().endsWith(".lock")).toList())
        .as("checkpoint removed (the apply lock file stays)")
        .isEmpty();
  }

  private static JsonNode vf(JsonNode vfs, int index) {
    for (var vf : vfs) {
      if (vf.path("vf").asInt() == index) {
        return vf;
      }
    }
    throw new AssertionError("no vf " + index + " in " + vfs);
  }
}
