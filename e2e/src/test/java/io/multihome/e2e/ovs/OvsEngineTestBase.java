package io.multihome.e2e.ovs;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.agent.engine.ApplyOptions;
import io.multihome.agent.engine.ApplyResult;
import io.multihome.agent.engine.Engine;
import io.multihome.kernelvm.KernelFeature;
import io.multihome.lab.LabOvs;
import io.multihome.testkit.KernelTier;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * One {@link OvsNode} and the engine bound to it per test, skipped naming what is missing when this
 * machine cannot run Open vSwitch; both closed after the test, also on failure.
 */
abstract class OvsEngineTestBase {
  /** The datapath every bridge of these tests asks for ({@link LabOvs#datapath()}). */
  static final String DP = LabOvs.datapath();

  @TempDir Path dir;
  OvsNode node;
  Engine engine;

  /** How many veth NICs ({@code eth1}…) the node gets. */
  abstract int nics();

  @BeforeEach
  void startNode() {
    KernelFeature.require();
    KernelTier.require(LabOvs.missing() == null, LabOvs.missing());
    node = new OvsNode(dir, nics());
    engine = node.engine();
  }

  @AfterEach
  void stopNode() {
    if (engine != null) {
      engine.close();
    }
    if (node != null) {
      node.close();
    }
  }

  /** Applies {@code yaml}, which must apply; the switch's log says why when it does not. */
  void mustApply(String yaml) throws Exception {
    var r = engine.apply(OvsNode.state(yaml), ApplyOptions.defaults());
    assertThat(r)
        .as(() -> r + "\n" + node.ovs.vswitchdLog(30))
        .isInstanceOf(ApplyResult.Applied.class);
  }
}
