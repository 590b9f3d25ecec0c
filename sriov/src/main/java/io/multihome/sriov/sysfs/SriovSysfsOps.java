package io.multihome.sriov.sysfs;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The individual sysfs operations of SR-IOV provisioning, each bounded in time. Public so the
 * nmstate {@code ethernet.sr-iov} path can create VFs with the same code.
 */
public final class SriovSysfsOps implements AutoCloseable {
  /** Drivers that take a VF away from the kernel network stack (no netdev). */
  public static final Set<String> USERSPACE_DRIVERS =
      Set.of("vfio-pci", "igb_uio", "uio_pci_generic");

  private static final Logger LOG = LoggerFactory.getLogger(SriovSysfsOps.class);

  private final Sysfs sysfs;
  private final SysfsLayout layout;
  private final SriovDiscovery discovery;
  private final ProvisioningTimeouts timeouts;
  private final ExecutorService writer =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "sriov-numvfs-writer");
            t.setDaemon(true);
            return t;
          });

  public SriovSysfsOps(Sysfs sysfs, ProvisioningTimeouts timeouts) {
    this.sysfs = sysfs;
    this.layout = new SysfsLayout(sysfs);
    this.discovery = new SriovDiscovery(sysfs);
    this.timeouts = timeouts;
  }

  public SriovDiscovery discovery() {
    return discovery;
  }

  /**
   * Sets the VF count, going through 0 because the kernel refuses N to M directly, and waits until
   * all VF PCI devices exist.
   */
  public void setNumVfs(String pf, int numVfs) throws IOException, InterruptedException {
    int current = sysfs.readInt(layout.deviceAttr(pf, "sriov_numvfs")).orElse(0);
    if (current == numVfs) {
      return;
    }
    if (current > 0) {
      writeNumVfs(layout.deviceAttr(pf, "sriov_numvfs"), pf, 0);
    }
    if (numVfs > 0) {
      writeNumVfs(layout.deviceAttr(pf, "sriov_numvfs"), pf, numVfs);
      await(
          timeouts.vfDevices(),
          () -> discovery.findPf(pf).map(p -> p.vfs().size() == numVfs).orElse(false),
          pf + ": " + numVfs + " VF PCI devices did not appear");
    }
  }

  /**
   * The nmstate {@code ethernet.sr-iov.total-vfs} path: sets the VF count of the device directory
   * {@code device} (any bus: a PCI function, a netdevsim device), through 0 as above. On a PCI
   * device it then waits (bounded by {@code vfDevices}) until every {@code virtfnN} exists and,
   * unless {@code sriov_drivers_autoprobe} is 0, has its netdev or is on a userspace driver. {@code
   * label} names the PF in messages.
   */
  public void setNumVfs(Path deviceLink, String label, int numVfs)
      throws IOException, InterruptedException {
    if (!sysfs.exists(deviceLink.resolve("sriov_numvfs"))) {
      throw new ProvisioningException(
          label + ": " + deviceLink.resolve("sriov_numvfs") + " does not exist (not an SR-IOV PF)");
    }
    // The device's own directory (class/net/X/device is a symlink): the kernel resolves it too.
    var device = deviceLink.toRealPath();
    var attr = device.resolve("sriov_numvfs");
    int current = sysfs.readInt(attr).orElse(0);
    if (current == numVfs) {
      return;
    }
    if (current > 0) {
      writeNumVfs(attr, label, 0);
    }
    if (numVfs > 0) {
      writeNumVfs(attr, label, numVfs);
      if (sysfs.exists(device.resolve("sriov_totalvfs"))
          && sysfs.list(device).stream().anyMatch(n -> n.startsWith("virtfn"))) {
        boolean netdevs = sysfs.readInt(device.resolve("sriov_drivers_autoprobe")).orElse(1) != 0;
        await(
            timeouts.vfDevices(),
            () -> vfsReady(device, numVfs, netdevs),
            label + ": " + numVfs + " VFs" + (netdevs ? " with netdevs" : "") + " did not appear");
      }
    }
  }

  private boolean vfsReady(Path device, int numVfs, boolean netdevs) {
    for (int i = 0; i < numVfs; i++) {
      var vf = device.resolve("virtfn" + i);
      if (!sysfs.exists(vf)) {
        return false;
      }
      if (netdevs
          && sysfs.list(vf.resolve("net")).isEmpty()
          && !sysfs
              .linkTargetName(vf.resolve("driver"))
              .filter(USERSPACE_DRIVERS::contains)
              .isPresent()) {
        return false;
      }
    }
    return true;
  }

  /** The write runs on its own thread: a driver can block it for minutes. */
  private void writeNumVfs(Path attr, String pf, int n) throws IOException, InterruptedException {
    LOG.info("{}: writing {} to sriov_numvfs", pf, n);
    Future<?> write =
        writer.submit(
            () -> {
              sysfs.write(attr, Integer.toString(n));
              return null;
            });
    try {
      write.get(timeouts.numVfsWrite().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      write.cancel(true);
      throw new ProvisioningException(
          pf
              + ": writing "
              + n
              + " to sriov_numvfs did not finish within "
              + timeouts.numVfsWrite());
    } catch (ExecutionException e) {
      throw new ProvisioningException(
          pf + ": writing " + n + " to sriov_numvfs failed: " + e.getCause().getMessage(),
          e.getCause());
    }
  }

  /** Binds a VF to {@code driver} with driver_override (how vfio-pci gets a device). */
  public void bindDriver(String device, String driver) throws IOException {
    var current = sysfs.linkTargetName(layout.deviceAttr(device, "driver"));
    if (current.filter(driver::equals).isPresent()) {
      return;
    }
    if (current.isPresent()) {
      sysfs.write(layout.driverDir(current.get()).resolve("unbind"), device);
    }
    sysfs.write(layout.deviceAttr(device, "driver_override"), driver);
    try {
      sysfs.write(layout.driverDir(driver).resolve("bind"), device);
    } finally {
      // Leave no override behind: it would pin the device to this driver across re-probes.
      sysfs.write(layout.deviceAttr(device, "driver_override"), "\n");
    }
  }

  /** Gives a VF back to its default kernel driver (clears the override and re-probes). */
  public void bindDefaultDriver(String device) throws IOException {
    var current = sysfs.linkTargetName(layout.deviceAttr(device, "driver"));
    if (current.isPresent()) {
      sysfs.write(layout.driverDir(current.get()).resolve("unbind"), device);
    }
    sysfs.write(layout.deviceAttr(device, "driver_override"), "\n");
    sysfs.write(layout.driversProbe(), device);
  }

  public void setMtu(String ifName, int mtu) throws IOException {
    sysfs.write(layout.netdevAttr(ifName, "mtu"), Integer.toString(mtu));
  }

  /** Waits for the VF's netdev; returns it. */
  public NetdevRecord awaitVfNetdev(String pf, int vfId) throws IOException, InterruptedException {
    await(
        timeouts.vfNetdev(),
        () -> vf(pf, vfId).flatMap(VfRecord::netdev).isPresent(),
        pf + ": VF " + vfId + " has no netdev");
    return vf(pf, vfId).flatMap(VfRecord::netdev).orElseThrow();
  }

  private java.util.Optional<VfRecord> vf(String pf, int vfId) {
    return discovery
        .findPf(pf)
        .flatMap(p -> p.vfs().stream().filter(v -> v.vfId() == vfId).findFirst());
  }

  /**
   * Polls {@code condition}; sysfs offers no change notification (inotify does not fire on it), so
   * polling is the only way.
   */
  void await(Duration timeout, BooleanSupplier condition, String failure)
      throws ProvisioningException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() >= deadline) {
        throw new ProvisioningException(failure + " within " + timeout);
      }
      TimeUnit.NANOSECONDS.sleep(
          Math.min(timeouts.poll().toNanos(), deadline - System.nanoTime() + 1));
    }
  }

  @Override
  public void close() {
    writer.shutdownNow();
  }
}
