package io.multihome.sriov.sysfs;

import static io.multihome.sriov.sysfs.fake.FakeNics.INTEL_IF;
import static io.multihome.sriov.sysfs.fake.FakeNics.INTEL_PF;
import static io.multihome.sriov.sysfs.fake.FakeNics.MLX_IF;
import static io.multihome.sriov.sysfs.fake.FakeNics.MLX_PF;
import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.sriov.sysfs.fake.FakeKernel;
import io.multihome.sriov.sysfs.fake.FakeNic;
import io.multihome.sriov.sysfs.fake.FakeNics;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SriovDiscoveryTest {
  @TempDir Path root;
  FakeKernel kernel;

  @BeforeEach
  void setUp() throws Exception {
    kernel = FakeNics.intelAndMellanox(root);
  }

  @AfterEach
  void tearDown() {
    kernel.close();
  }

  @Test
  void findsBothPfsWithIdsDriversAndNetdevs() {
    var pfs = new SriovDiscovery(kernel.sysfs()).discover();

    assertThat(pfs).extracting(PfRecord::pciAddress).containsExactly(INTEL_PF, MLX_PF);
    PfRecord intel = pfs.get(0);
    assertThat(intel.vendor()).isEqualTo("8086");
    assertThat(intel.deviceId()).isEqualTo("158b");
    assertThat(intel.driver()).contains("i40e");
    assertThat(intel.totalVfs()).isEqualTo(64);
    assertThat(intel.numVfs()).isZero();
    assertThat(intel.vfs()).isEmpty();
    assertThat(intel.netdev())
        .hasValueSatisfying(
            nd -> {
              assertThat(nd.name()).isEqualTo(INTEL_IF);
              assertThat(nd.mtu()).isEqualTo(1500);
              assertThat(nd.mac()).isEqualTo("3c:fd:fe:a0:3b:00");
              assertThat(nd.operState()).isEqualTo("up");
              assertThat(nd.linkTypeName()).isEqualTo("ETH");
              assertThat(nd.speedMbps()).isEqualTo(25000);
            });
    PfRecord mlx = pfs.get(1);
    assertThat(mlx.vendor()).isEqualTo("15b3");
    assertThat(mlx.deviceId()).isEqualTo("1017");
    assertThat(mlx.driver()).contains("mlx5_core");
    assertThat(mlx.totalVfs()).isEqualTo(16);
    assertThat(mlx.netdevName()).contains(MLX_IF);
  }

  @Test
  void vfsAppearAfterWritingNumVfsWithAddressesFromOffsetAndStride() throws Exception {
    var sysfs = kernel.sysfs();
    sysfs.write(root.resolve("bus/pci/devices/" + INTEL_PF + "/sriov_numvfs"), "3");
    sysfs.write(root.resolve("bus/pci/devices/" + MLX_PF + "/sriov_numvfs"), "2");

    var pfs = new SriovDiscovery(sysfs).discover();

    // VFs are not PFs: still exactly two records.
    assertThat(pfs).hasSize(2);
    PfRecord intel = pfs.get(0);
    assertThat(intel.numVfs()).isEqualTo(3);
    assertThat(intel.vfs())
        .extracting(VfRecord::pciAddress)
        .containsExactly("0000:3b:02.0", "0000:3b:02.1", "0000:3b:02.2");
    VfRecord vf0 = intel.vfs().get(0);
    assertThat(vf0.vfId()).isZero();
    assertThat(vf0.deviceId()).isEqualTo("154c");
    assertThat(vf0.driver()).contains("iavf");
    assertThat(vf0.netdev()).hasValueSatisfying(nd -> assertThat(nd.name()).isEqualTo("ens1f0v0"));
    assertThat(pfs.get(1).vfs())
        .extracting(VfRecord::pciAddress, VfRecord::deviceId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("0000:5e:00.2", "1018"),
            org.assertj.core.groups.Tuple.tuple("0000:5e:00.3", "1018"));
    // The tree is made of real symlinks, as on a host.
    assertThat(Files.isSymbolicLink(root.resolve("bus/pci/devices/0000:3b:02.1/physfn"))).isTrue();
    assertThat(Files.readString(root.resolve("class/net/ens1f0v2/device/physfn/vendor")))
        .isEqualTo("0x8086\n");
  }

  @Test
  void ignoresNonSriovAndNonNetworkDevices() throws Exception {
    Path other = root.resolve("devices/pci0000:00/0000:00:1f.0");
    Files.createDirectories(other);
    Files.writeString(other.resolve("class"), "0x060100\n");
    Files.writeString(other.resolve("sriov_totalvfs"), "4\n");
    Files.createSymbolicLink(
        root.resolve("bus/pci/devices/0000:00:1f.0"),
        Path.of("../../../devices/pci0000:00/0000:00:1f.0"));

    assertThat(new SriovDiscovery(kernel.sysfs()).discover()).hasSize(2);
  }

  @Test
  void infinibandPortReportsIbLinkType() throws Exception {
    kernel.addPf(FakeNic.mellanoxConnectX5("0000:af:00.0", "ibp175s0").withLinkType(32));
    var ib = new SriovDiscovery(kernel.sysfs()).findPf("0000:af:00.0").orElseThrow();
    assertThat(ib.netdev().orElseThrow().linkTypeName()).isEqualTo("IB");
  }
}
