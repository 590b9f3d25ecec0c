package io.multihome.sriov.sysfs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds SR-IOV capable network PFs and their VFs by reading sysfs only (no netlink): a PCI function
 * is a PF when it is a network controller (class 0x02xxxx), has {@code sriov_totalvfs} and is not
 * itself a VF (no {@code physfn} link). VLANs, altnames and VF admin MACs need netlink; the agent
 * adds them.
 */
public final class SriovDiscovery {
  private static final String NETWORK_CLASS_PREFIX = "0x02";

  private final Sysfs sysfs;
  private final SysfsLayout layout;

  public SriovDiscovery(Sysfs sysfs) {
    this.sysfs = sysfs;
    this.layout = new SysfsLayout(sysfs);
  }

  /** All SR-IOV capable PFs, sorted by PCI address. */
  public List<PfRecord> discover() {
    var pfs = new ArrayList<PfRecord>();
    for (String address : sysfs.list(sysfs.resolve(SysfsLayout.PCI_DEVICES))) {
      if (isSriovPf(address)) {
        pfs.add(readPf(address));
      }
    }
    pfs.sort(Comparator.comparing(PfRecord::pciAddress));
    return pfs;
  }

  public Optional<PfRecord> findPf(String pciAddress) {
    return isSriovPf(pciAddress) ? Optional.of(readPf(pciAddress)) : Optional.empty();
  }

  private boolean isSriovPf(String address) {
    Path dev = layout.device(address);
    return sysfs.read(dev.resolve("class")).orElse("").startsWith(NETWORK_CLASS_PREFIX)
        && sysfs.exists(dev.resolve("sriov_totalvfs"))
        && !sysfs.exists(dev.resolve("physfn"));
  }

  private PfRecord readPf(String address) {
    Path dev = layout.device(address);
    return new PfRecord(
        address,
        hexId(dev.resolve("vendor")),
        hexId(dev.resolve("device")),
        sysfs.linkTargetName(dev.resolve("driver")),
        sysfs.readInt(dev.resolve("sriov_totalvfs")).orElse(0),
        sysfs.readInt(dev.resolve("sriov_numvfs")).orElse(0),
        readNetdev(dev),
        readVfs(dev));
  }

  private List<VfRecord> readVfs(Path pfDev) {
    var vfs = new ArrayList<VfRecord>();
    for (String entry : sysfs.list(pfDev)) {
      if (!entry.startsWith("virtfn")) {
        continue;
      }
      int vfId;
      try {
        vfId = Integer.parseInt(entry.substring("virtfn".length()));
      } catch (NumberFormatException e) {
        continue;
      }
      Optional<String> vfAddress = sysfs.linkTargetName(pfDev.resolve(entry));
      if (vfAddress.isEmpty()) {
        continue;
      }
      Path vfDev = layout.device(vfAddress.get());
      vfs.add(
          new VfRecord(
              vfId,
              vfAddress.get(),
              hexId(vfDev.resolve("vendor")),
              hexId(vfDev.resolve("device")),
              sysfs.linkTargetName(vfDev.resolve("driver")),
              readNetdev(vfDev)));
    }
    vfs.sort(Comparator.comparingInt(VfRecord::vfId));
    return vfs;
  }

  /** The first netdev under {@code <dev>/net}; a PCI function has at most one in practice. */
  private Optional<NetdevRecord> readNetdev(Path dev) {
    List<String> names = sysfs.list(dev.resolve("net"));
    if (names.isEmpty()) {
      return Optional.empty();
    }
    String name = names.get(0);
    Path nd = dev.resolve("net").resolve(name);
    return Optional.of(
        new NetdevRecord(
            name,
            sysfs.readInt(nd.resolve("mtu")).orElse(0),
            sysfs.read(nd.resolve("address")).orElse(""),
            sysfs.read(nd.resolve("operstate")).orElse("unknown"),
            sysfs.readInt(nd.resolve("type")).orElse(NetdevRecord.ARPHRD_ETHER),
            sysfs.readInt(nd.resolve("speed")).orElse(-1)));
  }

  /** "0x8086" -> "8086", the form policies and the supported-NIC list use. */
  private String hexId(Path attribute) {
    String raw = sysfs.read(attribute).orElse("").toLowerCase(Locale.ROOT);
    return raw.startsWith("0x") ? raw.substring(2) : raw;
  }
}
