package io.multihome.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.sriov.sysfs.fake.FakeKernel;
import io.multihome.sriov.sysfs.fake.FakeNic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a PF's sysfs device is found, and the SR-IOV part of a checkpoint on disk. */
class SriovDeviceTest {
  @TempDir Path root;

  @Test
  void theParentDeviceNetlinkNamesWinsElseTheNetdevsDeviceLink() throws Exception {
    try (var kernel = FakeKernel.create(root)) {
      kernel.addPf(FakeNic.intelXxv710("0000:3b:00.0", "ens1f0"));

      var byParent = SriovDevice.resolve(root, "eth1", "pci", "0000:3b:00.0");
      var byNetdev = SriovDevice.resolve(root, "ens1f0", null, null);

      assertThat(byParent).isEqualTo(root.resolve("bus/pci/devices/0000:3b:00.0"));
      assertThat(byNetdev).isEqualTo(root.resolve("class/net/ens1f0/device"));
      assertThat(byNetdev.toRealPath()).isEqualTo(byParent.toRealPath());
      assertThat(Files.readString(byNetdev.resolve("sriov_totalvfs")).strip()).isEqualTo("64");
      // A parent that is not in this sysfs tree falls back to the netdev's device link.
      assertThat(SriovDevice.resolve(root, "ens1f0", "netdevsim", "netdevsim7"))
          .isEqualTo(byNetdev);
    }
  }

  @Test
  void aCheckpointKeepsTheSavedVfsAcrossTheDisk(@TempDir Path stateDir) {
    var store = new CheckpointStore(stateDir);
    var target = Target.of("mh-sv-x");
    var pf =
        new SriovCheckpoint.SavedPf(
            "eth1",
            "/sys",
            2,
            List.of(
                new SriovCheckpoint.SavedVf(
                    0, "02:00:5e:10:00:0a", 5, 1, null, true, false, 0, 300)));
    var cp =
        new Checkpoint(
                1, "mh-sv-x", 1, 2, List.of(), List.of(), List.of(), List.of(), null, List.of(),
                null, null, null)
            .withSriov(List.of(pf));

    store.write(target, cp);

    assertThat(store.read(target).orElseThrow().sriov()).containsExactly(pf);
  }

  @Test
  void restoreSendsOnlyTheSettingsThatDiffer() {
    var saved =
        new SriovCheckpoint.SavedVf(0, "02:00:5e:10:00:0a", 5, 1, null, true, false, 0, 300);
    var same =
        new io.multihome.agent.netlink.Vf(
            0,
            io.multihome.agent.netlink.HwAddr.parse("02:00:5e:10:00:0a"),
            5,
            1,
            0x8100,
            true,
            false,
            0,
            0,
            300);

    assertThat(SriovCheckpoint.change(saved, same)).isNull();
    var changed = SriovCheckpoint.change(saved, same.withTrust(true).withVlan(110, 0, null));
    assertThat(changed)
        .isEqualTo(io.multihome.agent.netlink.Vf.of(0).withVlan(5, 1, null).withTrust(false));
  }
}
