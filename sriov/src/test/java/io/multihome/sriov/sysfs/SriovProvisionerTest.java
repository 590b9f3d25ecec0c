package io.multihome.sriov.sysfs;

import static io.multihome.sriov.sysfs.fake.FakeNics.INTEL_IF;
import static io.multihome.sriov.sysfs.fake.FakeNics.INTEL_PF;
import static io.multihome.sriov.sysfs.fake.FakeNics.MLX_IF;
import static io.multihome.sriov.sysfs.fake.FakeNics.MLX_PF;
import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.api.sriov.DeviceType;
import io.multihome.api.sriov.SriovInterface;
import io.multihome.api.sriov.SriovNetworkNodeStateSpec;
import io.multihome.api.sriov.SyncStatus;
import io.multihome.api.sriov.VfGroup;
import io.multihome.sriov.sysfs.fake.FakeKernel;
import io.multihome.sriov.sysfs.fake.FakeNic;
import io.multihome.sriov.sysfs.fake.FakeNics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SriovProvisionerTest {
  // Generous where success is expected (the build machine is shared and slow); short where a
  // test waits for the timeout on purpose.
  private static final ProvisioningTimeouts FAST =
      new ProvisioningTimeouts(
          Duration.ofSeconds(20),
          Duration.ofSeconds(20),
          Duration.ofSeconds(2),
          Duration.ofMillis(20));

  @TempDir Path root;
  @TempDir Path storeDir;
  FakeKernel kernel;
  SriovSysfsOps ops;
  RecordingLinks links;
  ConfiguredPfStore store;
  SriovProvisioner provisioner;

  /** Stands in for the agent's netlink implementation and records the calls. */
  static final class RecordingLinks implements VfLinkConfigurator {
    final List<String> calls = new ArrayList<>();

    @Override
    public void setVfAdminMac(String pfName, int vfId, String mac) {
      calls.add("mac " + pfName + " vf " + vfId + " " + mac);
    }

    @Override
    public void setLinkUp(String ifName) {
      calls.add("up " + ifName);
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    kernel = FakeNics.intelAndMellanox(root);
    ops = new SriovSysfsOps(kernel.sysfs(), FAST);
    links = new RecordingLinks();
    store = new ConfiguredPfStore(storeDir);
    provisioner = new SriovProvisioner(ops, links, store);
  }

  @AfterEach
  void tearDown() {
    ops.close();
    kernel.close();
  }

  @Test
  void createsVfsBindsDriversRaisesMtuAndPinsMacs() throws Exception {
    var spec =
        spec(
            iface(
                INTEL_PF,
                INTEL_IF,
                8,
                9000,
                group("netdev", "0-3", DeviceType.NETDEVICE, 9000),
                group("dpdk", "4-7", DeviceType.VFIO_PCI, null)));

    ApplyResult result = provisioner.apply(spec);

    assertThat(result).isInstanceOf(ApplyResult.Succeeded.class);
    assertThat(result.syncStatus()).isEqualTo(SyncStatus.SUCCEEDED);
    PfRecord pf = ops.discovery().findPf(INTEL_PF).orElseThrow();
    assertThat(pf.numVfs()).isEqualTo(8);
    assertThat(pf.netdev().orElseThrow().mtu()).isEqualTo(9000);
    for (VfRecord vf : pf.vfs()) {
      if (vf.vfId() < 4) {
        assertThat(vf.driver()).contains("iavf");
        assertThat(vf.netdev().orElseThrow().mtu()).isEqualTo(9000);
      } else {
        assertThat(vf.driver()).contains("vfio-pci");
        assertThat(vf.netdev()).isEmpty();
      }
      assertThat(
              Files.readString(
                  root.resolve("bus/pci/devices/" + vf.pciAddress() + "/driver_override")))
          .isEqualTo("(null)\n");
    }
    assertThat(links.calls)
        .contains("mac ens1f0 vf 0 " + pf.vfs().get(0).netdev().orElseThrow().mac(), "up ens1f0")
        .filteredOn(c -> c.startsWith("mac"))
        .hasSize(4);
    assertThat(store.get(INTEL_PF))
        .hasValue(new ConfiguredPfStore.ConfiguredPf(INTEL_PF, 0, 1500, false));
    // Untouched PF stays untouched.
    assertThat(ops.discovery().findPf(MLX_PF).orElseThrow().numVfs()).isZero();
  }

  @Test
  void changingTheCountGoesThroughZero() throws Exception {
    provisioner.apply(
        spec(iface(INTEL_PF, INTEL_IF, 8, null, group("a", "0-7", DeviceType.NETDEVICE, null))));

    ApplyResult result =
        provisioner.apply(
            spec(
                iface(INTEL_PF, INTEL_IF, 4, null, group("a", "0-3", DeviceType.NETDEVICE, null))));

    assertThat(result.syncStatus()).isEqualTo(SyncStatus.SUCCEEDED);
    assertThat(numVfsWrites(INTEL_PF)).containsExactly("8", "0", "4");
    assertThat(ops.discovery().findPf(INTEL_PF).orElseThrow().vfs()).hasSize(4);
  }

  @Test
  void pfMtuIsNeverLowered() throws Exception {
    kernel.addPf(FakeNic.intelXxv710("0000:3b:00.1", "ens1f1").withMtu(9000));

    ApplyResult result =
        provisioner.apply(
            spec(
                iface(
                    "0000:3b:00.1",
                    "ens1f1",
                    2,
                    1500,
                    group("a", "0-1", DeviceType.NETDEVICE, 1500))));

    assertThat(result.syncStatus()).isEqualTo(SyncStatus.SUCCEEDED);
    assertThat(ops.discovery().findPf("0000:3b:00.1").orElseThrow().netdev().orElseThrow().mtu())
        .isEqualTo(9000);
    assertThat(kernel.writeLog()).noneMatch(w -> w.path().equals("class/net/ens1f1/mtu"));
  }

  @Test
  void externallyManagedPfNeverHasItsVfCountChanged() throws Exception {
    kernel.addPfWithVfs(FakeNic.intelXxv710("0000:3b:00.1", "ens1f1"), 4);
    var ok =
        iface("0000:3b:00.1", "ens1f1", 4, null, group("ext", "0-3", DeviceType.NETDEVICE, null));
    ok.setExternallyManaged(true);

    assertThat(provisioner.apply(spec(ok)).syncStatus()).isEqualTo(SyncStatus.SUCCEEDED);

    var tooMany =
        iface("0000:3b:00.1", "ens1f1", 6, null, group("ext", "0-5", DeviceType.NETDEVICE, null));
    tooMany.setExternallyManaged(true);
    ApplyResult failed = provisioner.apply(spec(tooMany));
    assertThat(failed.syncStatus()).isEqualTo(SyncStatus.FAILED);
    assertThat(failed.lastSyncError()).contains("spec.interfaces[0]").contains("never changed");

    // Dropping it from the spec must not reset it either.
    assertThat(provisioner.apply(spec()).syncStatus()).isEqualTo(SyncStatus.SUCCEEDED);
    assertThat(numVfsWrites("0000:3b:00.1")).isEmpty();
    assertThat(ops.discovery().findPf("0000:3b:00.1").orElseThrow().numVfs()).isEqualTo(4);
  }

  @Test
  void pfsWeConfiguredAreResetWhenNoLongerWantedOthersAreLeftAlone() throws Exception {
    kernel.addPfWithVfs(FakeNic.mellanoxConnectX5("0000:5e:00.1", "ens2f1"), 2);
    provisioner.apply(
        spec(iface(INTEL_PF, INTEL_IF, 4, 9000, group("a", "0-3", DeviceType.NETDEVICE, null))));

    ApplyResult result = provisioner.apply(spec());

    assertThat(result.syncStatus()).isEqualTo(SyncStatus.SUCCEEDED);
    PfRecord intel = ops.discovery().findPf(INTEL_PF).orElseThrow();
    assertThat(intel.numVfs()).isZero();
    assertThat(intel.netdev().orElseThrow().mtu()).isEqualTo(1500);
    assertThat(store.all()).isEmpty();
    assertThat(ops.discovery().findPf("0000:5e:00.1").orElseThrow().numVfs()).isEqualTo(2);
  }

  @Test
  void kernelRefusalFailsWithReasonAndOtherPfsStillGetConfigured() throws Exception {
    kernel.failNumVfsWrites(INTEL_PF, "Cannot allocate memory");

    ApplyResult result =
        provisioner.apply(
            spec(
                iface(INTEL_PF, INTEL_IF, 4, null, group("a", "0-3", DeviceType.NETDEVICE, null)),
                iface(MLX_PF, MLX_IF, 2, null, group("m", "0-1", DeviceType.NETDEVICE, null))));

    assertThat(result.syncStatus()).isEqualTo(SyncStatus.FAILED);
    assertThat(result.lastSyncError())
        .contains("spec.interfaces[0] (" + INTEL_PF + ")")
        .contains("Cannot allocate memory");
    assertThat(ops.discovery().findPf(MLX_PF).orElseThrow().numVfs()).isEqualTo(2);
    assertThat(store.get(INTEL_PF)).isEmpty();
  }

  @Test
  void hangingNumVfsWriteTimesOut() {
    kernel.hangNumVfsWrites(INTEL_PF);
    var shortWrite =
        new ProvisioningTimeouts(
            Duration.ofMillis(300),
            Duration.ofSeconds(20),
            Duration.ofSeconds(2),
            Duration.ofMillis(20));

    ApplyResult result;
    try (var hangingOps = new SriovSysfsOps(kernel.sysfs(), shortWrite)) {
      result =
          new SriovProvisioner(hangingOps, links, store)
              .apply(
                  spec(
                      iface(
                          INTEL_PF,
                          INTEL_IF,
                          4,
                          null,
                          group("a", "0-3", DeviceType.NETDEVICE, null))));

      assertThat(result.syncStatus()).isEqualTo(SyncStatus.FAILED);
    }
    assertThat(result.lastSyncError()).contains("did not finish within PT0.3S");
  }

  @Test
  void missingVfNetdevTimesOutAndThePfIsReset() {
    kernel.withholdVfNetdevs(INTEL_PF);

    ApplyResult result =
        provisioner.apply(
            spec(
                iface(INTEL_PF, INTEL_IF, 4, null, group("a", "0-3", DeviceType.NETDEVICE, null))));

    assertThat(result.syncStatus()).isEqualTo(SyncStatus.FAILED);
    assertThat(result.lastSyncError()).contains("VF 0 has no netdev within PT2S");
    assertThat(ops.discovery().findPf(INTEL_PF).orElseThrow().numVfs()).isZero();
    assertThat(result.changes()).contains(INTEL_PF + ": reset sriov_numvfs 4 -> 0");
  }

  @Test
  void waitsForSlowUdev() {
    kernel.setVfNetdevDelay(Duration.ofMillis(200));

    ApplyResult result =
        provisioner.apply(
            spec(
                iface(INTEL_PF, INTEL_IF, 2, null, group("a", "0-1", DeviceType.NETDEVICE, 9000))));

    assertThat(result.syncStatus()).isEqualTo(SyncStatus.SUCCEEDED);
    assertThat(ops.discovery().findPf(INTEL_PF).orElseThrow().vfs())
        .allSatisfy(vf -> assertThat(vf.netdev().orElseThrow().mtu()).isEqualTo(9000));
  }

  @Test
  void moreVfsThanTotalVfsFailsWithoutWriting() {
    ApplyResult result =
        provisioner.apply(
            spec(iface(MLX_PF, MLX_IF, 32, null, group("m", "0-31", DeviceType.NETDEVICE, null))));

    assertThat(result.lastSyncError()).contains("sriov_totalvfs is 16");
    assertThat(numVfsWrites(MLX_PF)).isEmpty();
  }

  @Test
  void vfioVfsReturnToTheKernelWhenTheirGroupGoes() throws Exception {
    provisioner.apply(
        spec(iface(INTEL_PF, INTEL_IF, 2, null, group("d", "0-1", DeviceType.VFIO_PCI, null))));
    assertThat(ops.discovery().findPf(INTEL_PF).orElseThrow().vfs())
        .allSatisfy(vf -> assertThat(vf.driver()).contains("vfio-pci"));

    provisioner.apply(
        spec(iface(INTEL_PF, INTEL_IF, 2, null, group("n", "0-1", DeviceType.NETDEVICE, null))));

    assertThat(ops.discovery().findPf(INTEL_PF).orElseThrow().vfs())
        .allSatisfy(
            vf -> {
              assertThat(vf.driver()).contains("iavf");
              assertThat(vf.netdev()).isPresent();
            });
  }

  private List<String> numVfsWrites(String pf) {
    return kernel.writeLog().stream()
        .filter(w -> w.path().equals("bus/pci/devices/" + pf + "/sriov_numvfs"))
        .map(FakeKernel.Write::value)
        .toList();
  }

  private static SriovNetworkNodeStateSpec spec(SriovInterface... interfaces) {
    var spec = new SriovNetworkNodeStateSpec();
    spec.setInterfaces(List.of(interfaces));
    return spec;
  }

  private static SriovInterface iface(
      String pci, String name, int numVfs, Integer mtu, VfGroup... groups) {
    var i = new SriovInterface();
    i.setPciAddress(pci);
    i.setName(name);
    i.setNumVfs(numVfs);
    i.setMtu(mtu);
    i.setVfGroups(List.of(groups));
    return i;
  }

  private static VfGroup group(String resource, String range, DeviceType type, Integer mtu) {
    var g = new VfGroup();
    g.setResourceName(resource);
    g.setVfRange(range);
    g.setDeviceType(type);
    g.setMtu(mtu);
    return g;
  }
}
