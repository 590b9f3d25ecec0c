package io.multihome.sriov.sysfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multihome.sriov.sysfs.fake.FakeKernel;
import io.multihome.sriov.sysfs.fake.FakeNics;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nmstate {@code total-vfs} path of {@link SriovSysfsOps}: the VF count of a device directory
 * (found from the PF netdev), on the fake kernel.
 */
class SriovSysfsOpsTest {
  private static final ProvisioningTimeouts FAST =
      new ProvisioningTimeouts(
          Duration.ofSeconds(20),
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          Duration.ofMillis(20));

  @TempDir Path root;
  FakeKernel kernel;
  SriovSysfsOps ops;
  Path device;

  @BeforeEach
  void setUp() throws Exception {
    kernel = FakeNics.intelAndMellanox(root);
    ops = new SriovSysfsOps(kernel.sysfs(), FAST);
    device = root.resolve("class/net").resolve(FakeNics.INTEL_IF).resolve("device");
  }

  @AfterEach
  void tearDown() {
    ops.close();
    kernel.close();
  }

  private int numVfs() {
    return kernel.sysfs().readInt(device.resolve("sriov_numvfs")).orElseThrow();
  }

  @Test
  void createsVfsAndWaitsForTheirNetdevs() throws Exception {
    ops.setNumVfs(device, "ens1f0", 4);

    assertThat(numVfs()).isEqualTo(4);
    var pf = new SriovDiscovery(kernel.sysfs()).findPf(FakeNics.INTEL_PF).orElseThrow();
    assertThat(pf.vfs()).hasSize(4).allSatisfy(v -> assertThat(v.netdev()).isPresent());
  }

  @Test
  void aNewCountGoesThroughZeroAndTheSameCountWritesNothing() throws Exception {
    ops.setNumVfs(device, "ens1f0", 4);
    ops.setNumVfs(device, "ens1f0", 2);
    ops.setNumVfs(device, "ens1f0", 2);

    assertThat(kernel.writeLog())
        .filteredOn(w -> w.path().endsWith("sriov_numvfs"))
        .extracting(FakeKernel.Write::value)
        .containsExactly("4", "0", "2");
    assertThat(numVfs()).isEqualTo(2);
  }

  @Test
  void vfsWithoutNetdevsTimeOut() throws Exception {
    kernel.withholdVfNetdevs(FakeNics.INTEL_PF);

    assertThatThrownBy(() -> ops.setNumVfs(device, "ens1f0", 2))
        .isInstanceOf(ProvisioningException.class)
        .hasMessage("ens1f0: 2 VFs with netdevs did not appear within PT1S");
  }

  @Test
  void aKernelRefusalAndANonSriovDeviceAreReported() throws Exception {
    kernel.failNumVfsWrites(FakeNics.INTEL_PF, "Cannot allocate memory");
    assertThatThrownBy(() -> ops.setNumVfs(device, "ens1f0", 2))
        .isInstanceOf(ProvisioningException.class)
        .hasMessageStartingWith("ens1f0: writing 2 to sriov_numvfs failed:")
        .hasMessageContaining("Cannot allocate memory");

    assertThatThrownBy(() -> ops.setNumVfs(root.resolve("class/net/lo/device"), "lo", 1))
        .isInstanceOf(ProvisioningException.class)
        .hasMessageContaining("does not exist (not an SR-IOV PF)");
  }
}
