package io.multihome.sriov.sysfs;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** Where the kernel keeps the PCI and netdev attributes this module reads and writes. */
public final class SysfsLayout {
  public static final String PCI_DEVICES = "bus/pci/devices";
  public static final String PCI_DRIVERS = "bus/pci/drivers";
  public static final String PCI_DRIVERS_PROBE = "bus/pci/drivers_probe";
  public static final String CLASS_NET = "class/net";

  /** Domain:bus:device.function, lower-case hex, as sysfs names PCI devices. */
  public static final Pattern PCI_ADDRESS =
      Pattern.compile("^[0-9a-f]{4}:[0-9a-f]{2}:[0-1][0-9a-f]\\.[0-7]$");

  private final Sysfs sysfs;

  public SysfsLayout(Sysfs sysfs) {
    this.sysfs = sysfs;
  }

  public Path device(String pciAddress) {
    return sysfs.resolve(PCI_DEVICES).resolve(pciAddress);
  }

  public Path deviceAttr(String pciAddress, String attribute) {
    return device(pciAddress).resolve(attribute);
  }

  public Path driverDir(String driver) {
    return sysfs.resolve(PCI_DRIVERS).resolve(driver);
  }

  public Path driversProbe() {
    return sysfs.resolve(PCI_DRIVERS_PROBE);
  }

  public Path netdev(String ifName) {
    return sysfs.resolve(CLASS_NET).resolve(ifName);
  }

  public Path netdevAttr(String ifName, String attribute) {
    return netdev(ifName).resolve(attribute);
  }
}
