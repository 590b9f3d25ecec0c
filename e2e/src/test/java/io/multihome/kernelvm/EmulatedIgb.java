package io.multihome.kernelvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds QEMU's emulated igb NIC (Intel 82576, 8086:10c9) with SR-IOV in sysfs.
 *
 * <p>Only ever inside the kernel VM: a test that enables VFs must never pick a real NIC of the
 * machine it runs on, so outside the VM this reports nothing whatever hardware is present.
 */
public final class EmulatedIgb {

  static final String VENDOR = "0x8086";
  static final String PF_DEVICE = "0x10c9";
  static final String VF_DEVICE = "0x10ca";
  private static final Path PCI_DEVICES = Path.of("/sys/bus/pci/devices");

  private EmulatedIgb() {}

  /** The PF's sysfs directory, e.g. /sys/bus/pci/devices/0000:00:01.0. */
  public static Optional<Path> find() {
    if (!KernelFeature.inKernelVm() || !Files.isDirectory(PCI_DEVICES)) {
      return Optional.empty();
    }
    try (var devices = Files.list(PCI_DEVICES)) {
      return devices.sorted().filter(EmulatedIgb::isSriovIgb).findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static String absentReason() {
    return KernelFeature.inKernelVm()
        ? "no PCI device " + VENDOR + ":" + PF_DEVICE + " with sriov_totalvfs in " + PCI_DEVICES
        : "used only inside the kernel VM, never on a real NIC of this machine";
  }

  static String read(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
  }

  private static boolean isSriovIgb(Path device) {
    return Files.exists(device.resolve("sriov_totalvfs"))
        && VENDOR.equals(read(device.resolve("vendor")))
        && PF_DEVICE.equals(read(device.resolve("device")));
  }
}
