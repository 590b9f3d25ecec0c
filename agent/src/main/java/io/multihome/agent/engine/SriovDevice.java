package io.multihome.agent.engine;

import io.multihome.agent.netlink.IfInfoMsg;
import io.multihome.agent.netlink.LinkOps;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.agent.netlink.Rtnl;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the sysfs device directory of a PF netdev. The kernel names the parent device and its bus
 * in the link itself (IFLA_PARENT_DEV_NAME / IFLA_PARENT_DEV_BUS_NAME, Linux 5.15), which works
 * whatever namespace the netdev is in ({@code /sys/class/net} only lists the namespace sysfs was
 * mounted in): {@code <root>/bus/<bus>/devices/<name>}. Without them (older kernels, a fake sysfs
 * tree in tests) {@code <root>/class/net/<pf>/device} is used.
 */
final class SriovDevice {
  static final int IFLA_PARENT_DEV_NAME = 56;
  static final int IFLA_PARENT_DEV_BUS_NAME = 57;

  private SriovDevice() {}

  static Path find(RtNetlink nl, Path sysfsRoot, String pf) {
    var r = LinkOps.getRequest(pf, 0);
    String bus = null;
    String name = null;
    for (var m : nl.exchange(r)) {
      if (m.type() == Rtnl.RTM_NEWLINK) {
        var a = m.attrs(IfInfoMsg.LEN);
        bus = a.string(IFLA_PARENT_DEV_BUS_NAME);
        name = a.string(IFLA_PARENT_DEV_NAME);
      }
    }
    return resolve(sysfsRoot, pf, bus, name);
  }

  /** The device directory from the parent names netlink gave (either may be null). */
  static Path resolve(Path sysfsRoot, String pf, String bus, String name) {
    if (bus != null && name != null) {
      var dir = sysfsRoot.resolve("bus").resolve(bus).resolve("devices").resolve(name);
      if (Files.isDirectory(dir)) {
        return dir;
      }
    }
    return sysfsRoot.resolve("class/net").resolve(pf).resolve("device");
  }
}
