package io.multihome.agent.engine;

import static io.multihome.agent.engine.EngineAssertions.assertRefused;
import static io.multihome.agent.engine.EngineAssertions.state;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ethernet.sr-iov.drivers-autoprobe}: {@code sriov_drivers_autoprobe} of the PF's device,
 * with the sysfs root as configuration. Here eth1 (a veth, no parent device) is given a device
 * directory in a fake sysfs tree ({@code <root>/class/net/eth1/device}, where the engine looks for
 * a device netlink names no parent for); the real file of a PCI PF is written in the kernel-VM
 * tier's igb test.
 */
@Timeout(120)
class DriversAutoprobeKernelTest extends EngineNetnsTestBase {
  @TempDir Path sysfs;

  @Test
  void theFileIsWrittenVerifiedAndPutBack() throws Exception {
    var file = sysfs.resolve("class/net/eth1/device/sriov_drivers_autoprobe");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "1\n");
    var desired =
        state(
            """
            interfaces:
            - name: eth1
              type: ethernet
              ethernet:
                sr-iov:
                  drivers-autoprobe: false
            """);
    try (var e = Engine.open(ns.target(), ns.stateDir, sysfs)) {
      var failed = e.apply(desired, ApplyOptions.defaults().withProbes(List.of(a -> "no")));
      assertThat(failed).isInstanceOf(ApplyResult.RolledBack.class);
      assertThat(Files.readString(file).strip()).isEqualTo("1");

      var result = e.apply(desired, ApplyOptions.defaults());

      assertThat(result).isInstanceOf(ApplyResult.Applied.class);
      assertThat(result.plan().describe())
          .containsExactly("echo 0 > /sys/class/net/eth1/device/sriov_drivers_autoprobe");
      assertThat(Files.readString(file).strip()).isEqualTo("0");
      assertThat(e.plan(desired).isEmpty()).isTrue();
    }
  }

  @Test
  void aLinkWithoutTheFileIsRefused() throws Exception {
    try (var e = Engine.open(ns.target(), ns.stateDir, sysfs)) {
      assertRefused(
              () ->
                  e.plan(
                      state(
                          "interfaces: [{name: eth2, type: ethernet, ethernet: {sr-iov:"
                              + " {drivers-autoprobe: true}}}]")))
          .containsExactly(
              "interfaces[0].ethernet.sr-iov.drivers-autoprobe: eth2 has no"
                  + " sriov_drivers_autoprobe in sysfs (not a PCI SR-IOV physical function)");
    }
  }
}
