package io.multihome.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.agent.netlink.KernelFeatures;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.testkit.KernelTier;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's cnv-bridge NAD with a VLAN: the reference bridge plugin turns on VLAN filtering and
 * makes the pod's port an access port of that VLAN. Needs bridge VLAN filtering, which the
 * development kernel lacks: skipped there naming it, run (and required) in the kernel-VM tier.
 */
@Tag("kernel-vm")
class CnvBridgeVlanKernelTest {

  @TempDir Path tmp;
  private KernelFixture k;
  private CniHarness h;

  @BeforeEach
  void setUp() throws Exception {
    k = new KernelFixture("mh-cnvv");
    KernelFeatures features;
    try (var nl = RtNetlink.openNamed(k.node)) {
      features = KernelFeatures.probe(nl);
    }
    KernelTier.require(
        features.bridgeVlanFiltering(),
        "kernel lacks bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING): cnv-bridge \"vlan\"");
    h = CniHarness.referencePlugins(tmp, k);
  }

  @AfterEach
  void tearDown() {
    if (k != null) {
      k.close();
    }
  }

  @Test
  void podsOnTheSameVlanTalkAndPodsOnAnotherVlanDoNot() throws Exception {
    h.nads.put(
        "multus-test",
        "dev-100",
        CnvBridgeKernelTest.SEED_NAD.replace("\"vlan\": 0", "\"vlan\": 100"));
    h.nads.put(
        "multus-test",
        "dev-200",
        CnvBridgeKernelTest.SEED_NAD.replace("\"vlan\": 0", "\"vlan\": 200"));
    String a = CnvBridgeKernelTest.vm(k, h, "vm-a", "dev-100", "198.18.45.1");
    CnvBridgeKernelTest.vm(k, h, "vm-b", "dev-100", "198.18.45.2");
    CnvBridgeKernelTest.vm(k, h, "vm-c", "dev-200", "198.18.45.3");

    assertThat(k.ip(k.node, "-d", "link", "show", "dev-bridge")).contains("vlan_filtering 1");
    String vlans = KernelFixture.run(List.of("bridge", "-n", k.node, "vlan", "show"));
    assertThat(vlans).contains("100 PVID Egress Untagged").contains("200 PVID Egress Untagged");
    assertThat(k.ping(a, "198.18.45.2")).isTrue();
    assertThat(k.ping(a, "198.18.45.3")).as("another VLAN").isFalse();
  }
}
