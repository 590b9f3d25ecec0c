package io.multihome.agent.cni.sriov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multihome.sriov.sysfs.fake.FakeKernel;
import io.multihome.sriov.sysfs.fake.FakeNic;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VfLocatorTest {

  @TempDir Path tmp;

  @Test
  void findsPfIndexAndNetdevsOfAVf() throws Exception {
    var nic = FakeNic.mellanoxConnectX5("0000:5e:00.0", "ens2f0");
    try (var kernel = FakeKernel.create(tmp).addPfWithVfs(nic, 4)) {
      var locator = new VfLocator(kernel.sysfs());
      assertThat(locator.locate(nic.vfAddress(2)))
          .isEqualTo(new VfDevice(nic.vfAddress(2), "0000:5e:00.0", "ens2f0", 2, "ens2f0v2"));
      assertThatThrownBy(() -> locator.locate("0000:5e:00.0"))
          .hasMessage("sriov deviceID 0000:5e:00.0: it is not a VF (no physfn link)");
      assertThatThrownBy(() -> locator.locate("0000:99:00.0"))
          .hasMessageStartingWith("sriov deviceID 0000:99:00.0: no such PCI device under");
    }
  }
}
