package io.multihome.agent.cni.sriov;

import io.multihome.agent.cni.exec.CniException;
import io.multihome.sriov.sysfs.Sysfs;
import io.multihome.sriov.sysfs.SysfsLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * deviceID (VF PCI address) to VF: its PF ({@code physfn}), its index (the PF's {@code virtfnN}
 * link pointing back at it), the PF netdev (the one VF settings are sent through) and the VF
 * netdev. Reads sysfs only, under a configurable root, so the fake kernel can stand in for
 * hardware.
 */
public final class VfLocator {

  private final Sysfs sysfs;
  private final SysfsLayout layout;

  public VfLocator(Sysfs sysfs) {
    this.sysfs = sysfs;
    this.layout = new SysfsLayout(sysfs);
  }

  public VfDevice locate(String pciAddress) throws CniException {
    Path dev = layout.device(pciAddress);
    if (!sysfs.exists(dev)) {
      throw notFound(pciAddress, "no such PCI device under " + sysfs.root());
    }
    String pf =
        sysfs
            .linkTargetName(dev.resolve("physfn"))
            .orElseThrow(() -> notFound(pciAddress, "it is not a VF (no physfn link)"));
    Path pfDev = layout.device(pf);
    int index = -1;
    for (String entry : sysfs.list(pfDev)) {
      if (entry.startsWith("virtfn")
          && sysfs.linkTargetName(pfDev.resolve(entry)).orElse("").equals(pciAddress)) {
        index = Integer.parseInt(entry.substring("virtfn".length()));
      }
    }
    if (index < 0) {
      throw notFound(pciAddress, "PF " + pf + " has no virtfn link to it");
    }
    String pfName =
        firstNetdev(pfDev)
            .orElseThrow(
                () -> notFound(pciAddress, "its PF " + pf + " has no netdev to set VF options"));
    String netdev =
        firstNetdev(dev)
            .orElseThrow(
                () ->
                    notFound(
                        pciAddress,
                        "it has no netdev (bound to "
                            + sysfs.linkTargetName(dev.resolve("driver")).orElse("no driver")
                            + "; a netdevice VF is needed)"));
    return new VfDevice(pciAddress, pf, pfName, index, netdev);
  }

  /** The VF's current netdev name, if any (after the kernel moved it back on its own). */
  public Optional<String> currentNetdev(String pciAddress) {
    return firstNetdev(layout.device(pciAddress));
  }

  private Optional<String> firstNetdev(Path dev) {
    List<String> names = sysfs.list(dev.resolve("net"));
    return names.isEmpty() ? Optional.empty() : Optional.of(names.get(0));
  }

  private static CniException notFound(String pci, String why) {
    return new CniException(CniException.INVALID_CONFIG, "sriov deviceID " + pci + ": " + why);
  }
}
