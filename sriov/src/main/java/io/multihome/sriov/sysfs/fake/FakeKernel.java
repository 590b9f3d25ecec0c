package io.multihome.sriov.sysfs.fake;

import io.multihome.sriov.sysfs.Sysfs;
import io.multihome.sriov.sysfs.SysfsWriter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A "fake kernel": builds a sysfs tree of real files and symlinks under a directory and reacts to
 * writes the way the kernel does, so code written against {@link Sysfs} runs end to end without
 * SR-IOV hardware. Emulated reactions:
 *
 * <ul>
 *   <li>{@code bus/pci/devices/<pf>/sriov_numvfs}: N creates VF PCI devices ({@code virtfnN} /
 *       {@code physfn} links), binds the VF driver and creates VF netdevs; 0 removes them; N while
 *       VFs exist fails with EBUSY, N above {@code sriov_totalvfs} with ERANGE.
 *   <li>{@code bus/pci/drivers/<drv>/bind|unbind}, {@code <dev>/driver_override}, {@code
 *       bus/pci/drivers_probe}: driver binding; binding a kernel netdevice driver creates the
 *       netdev, vfio-pci does not.
 *   <li>{@code class/net/<if>/mtu}: accepted within 68..maxMtu, else EINVAL.
 * </ul>
 *
 * Failure injection ({@link #failNumVfsWrites}, {@link #hangNumVfsWrites}, {@link
 * #withholdVfNetdevs}, {@link #setVfNetdevDelay}) lets tests drive error paths. Every accepted
 * write is recorded in {@link #writeLog()}. The lab reuses this class to emulate NICs.
 */
public final class FakeKernel implements SysfsWriter, AutoCloseable {
  private static final Set<String> USERSPACE_DRIVERS =
      Set.of("vfio-pci", "igb_uio", "uio_pci_generic");

  /** One accepted write, path relative to the root. */
  public record Write(String path, String value) {}

  private final Path root;
  private final Map<String, FakeNic> pfs = new HashMap<>();
  private final Map<String, FakeNic> vfOwner = new HashMap<>();
  private final Map<String, Integer> vfIndex = new HashMap<>();
  private final Map<String, String> numVfsFailures = new HashMap<>();
  private final Map<String, CountDownLatch> hungPfs = new HashMap<>();
  private final Set<String> withheldNetdevs = new HashSet<>();
  private final List<Write> writes = new ArrayList<>();
  private final ScheduledExecutorService netdevTimer;
  private Duration vfNetdevDelay = Duration.ZERO;

  private FakeKernel(Path root) {
    this.root = root;
    this.netdevTimer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "fake-kernel-udev");
              t.setDaemon(true);
              return t;
            });
  }

  /** An empty fake sysfs (PCI bus and net class directories only) under {@code root}. */
  public static FakeKernel create(Path root) throws IOException {
    var kernel = new FakeKernel(root);
    Files.createDirectories(root.resolve("bus/pci/devices"));
    Files.createDirectories(root.resolve("bus/pci/drivers"));
    Files.createDirectories(root.resolve("class/net"));
    Files.createDirectories(root.resolve("devices"));
    writeAttr(root.resolve("bus/pci/drivers_probe"), "");
    kernel.ensureDriver("vfio-pci");
    return kernel;
  }

  /** A {@link Sysfs} whose writes go through this kernel. */
  public Sysfs sysfs() {
    return new Sysfs(root, this);
  }

  public Path root() {
    return root;
  }

  /** Adds a PF bound to its driver, with its netdev and no VFs. */
  public synchronized FakeKernel addPf(FakeNic nic) throws IOException {
    Path dev = createPciDevice(nic.pciAddress(), nic.vendor(), nic.deviceId());
    writeAttr(dev.resolve("sriov_totalvfs"), Integer.toString(nic.totalVfs()));
    writeAttr(dev.resolve("sriov_numvfs"), "0");
    writeAttr(dev.resolve("sriov_offset"), Integer.toString(nic.vfOffset()));
    writeAttr(dev.resolve("sriov_stride"), Integer.toString(nic.vfStride()));
    pfs.put(nic.pciAddress(), nic);
    bind(nic.pciAddress(), nic.pfDriver());
    return this;
  }

  /** Adds a PF that already has {@code numVfs} VFs (e.g. created by someone else). */
  public synchronized FakeKernel addPfWithVfs(FakeNic nic, int numVfs) throws IOException {
    addPf(nic);
    createVfs(nic, numVfs);
    writeAttr(
        root.resolve("bus/pci/devices").resolve(nic.pciAddress()).resolve("sriov_numvfs"),
        Integer.toString(numVfs));
    return this;
  }

  /** Every later write of a non-zero value to this PF's sriov_numvfs fails with {@code errno}. */
  public synchronized void failNumVfsWrites(String pfAddress, String errnoMessage) {
    numVfsFailures.put(pfAddress, errnoMessage);
  }

  /** Writes to this PF's sriov_numvfs block (like i40e's "other operation is pending"). */
  public synchronized void hangNumVfsWrites(String pfAddress) {
    hungPfs.put(pfAddress, new CountDownLatch(1));
  }

  /** Releases writes blocked by {@link #hangNumVfsWrites}. */
  public synchronized void releaseHungWrites() {
    hungPfs.values().forEach(CountDownLatch::countDown);
    hungPfs.clear();
  }

  /** The VF driver of this PF binds but never creates netdevs (a stuck driver). */
  public synchronized void withholdVfNetdevs(String pfAddress) {
    withheldNetdevs.add(pfAddress);
  }

  /** VF netdevs appear this long after the driver binds, as udev does on real hosts. */
  public synchronized void setVfNetdevDelay(Duration delay) {
    this.vfNetdevDelay = delay;
  }

  public synchronized List<Write> writeLog() {
    return List.copyOf(writes);
  }

  @Override
  public void close() {
    releaseHungWrites();
    netdevTimer.shutdownNow();
  }

  @Override
  public void write(Path attribute, String value) throws IOException {
    String name = attribute.getFileName().toString();
    String parent = attribute.getParent().getFileName().toString();
    if (name.equals("sriov_numvfs")) {
      CountDownLatch hang;
      synchronized (this) {
        hang = hungPfs.get(parent);
      }
      if (hang != null) {
        try {
          hang.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("write to " + attribute + " interrupted");
        }
      }
    }
    synchronized (this) {
      if (!Files.exists(attribute)) {
        throw new NoSuchFileException(attribute.toString());
      }
      String v = value.strip();
      switch (name) {
        case "sriov_numvfs" -> writeNumVfs(parent, attribute, v);
        case "bind" -> bind(v, parent);
        case "unbind" -> unbind(v, parent);
        case "drivers_probe" -> probe(v);
        case "driver_override" -> writeAttr(attribute, v.isEmpty() ? "(null)" : v);
        case "mtu" -> writeMtu(attribute, v);
        default -> writeAttr(attribute, v);
      }
      writes.add(new Write(root.relativize(attribute).toString(), v));
    }
  }

  private void writeNumVfs(String pfAddress, Path attribute, String value) throws IOException {
    FakeNic nic = pfs.get(pfAddress);
    int requested;
    try {
      requested = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw errno("Invalid argument", attribute);
    }
    int current = Integer.parseInt(Files.readString(attribute).strip());
    if (requested == current) {
      return;
    }
    if (requested > 0 && numVfsFailures.containsKey(pfAddress)) {
      throw errno(numVfsFailures.get(pfAddress), attribute);
    }
    if (requested < 0 || requested > nic.totalVfs()) {
      throw errno("Numerical result out of range", attribute);
    }
    if (requested > 0 && current > 0) {
      throw errno("Device or resource busy", attribute);
    }
    if (requested == 0) {
      removeVfs(nic);
    } else {
      createVfs(nic, requested);
    }
    writeAttr(attribute, Integer.toString(requested));
  }

  private void createVfs(FakeNic nic, int count) throws IOException {
    Path pfDev = deviceDir(nic.pciAddress());
    for (int i = 0; i < count; i++) {
      String vf = nic.vfAddress(i);
      Path vfDev = createPciDevice(vf, nic.vendor(), nic.vfDeviceId());
      Files.createSymbolicLink(vfDev.resolve("physfn"), vfDev.relativize(pfDev));
      Files.createSymbolicLink(pfDev.resolve("virtfn" + i), pfDev.relativize(vfDev));
      vfOwner.put(vf, nic);
      vfIndex.put(vf, i);
      bind(vf, nic.vfDriver());
    }
  }

  private void removeVfs(FakeNic nic) throws IOException {
    Path pfDev = deviceDir(nic.pciAddress());
    for (String entry : list(pfDev)) {
      if (!entry.startsWith("virtfn")) {
        continue;
      }
      Path link = pfDev.resolve(entry);
      String vf = Files.readSymbolicLink(link).getFileName().toString();
      unbindIfBound(vf);
      Files.delete(link);
      Files.delete(root.resolve("bus/pci/devices").resolve(vf));
      deleteRecursively(deviceDir(vf));
      vfOwner.remove(vf);
      vfIndex.remove(vf);
    }
  }

  private void bind(String address, String driver) throws IOException {
    Path dev = deviceDir(address);
    if (!Files.isDirectory(dev)) {
      throw errno("No such device", root.resolve("bus/pci/drivers").resolve(driver));
    }
    if (Files.isSymbolicLink(dev.resolve("driver"))) {
      throw errno("Device or resource busy", dev.resolve("driver"));
    }
    String override = Files.readString(dev.resolve("driver_override")).strip();
    if (!override.equals("(null)") && !override.equals(driver)) {
      throw errno("No such device", root.resolve("bus/pci/drivers").resolve(driver));
    }
    Path drvDir = ensureDriver(driver);
    Files.createSymbolicLink(dev.resolve("driver"), dev.relativize(drvDir));
    Files.createSymbolicLink(drvDir.resolve(address), drvDir.relativize(dev));
    if (!USERSPACE_DRIVERS.contains(driver)) {
      createNetdevFor(address);
    }
  }

  private void unbind(String address, String driver) throws IOException {
    Path dev = deviceDir(address);
    String bound =
        Files.isSymbolicLink(dev.resolve("driver"))
            ? Files.readSymbolicLink(dev.resolve("driver")).getFileName().toString()
            : "";
    if (!bound.equals(driver)) {
      throw errno("No such device", root.resolve("bus/pci/drivers").resolve(driver));
    }
    unbindIfBound(address);
  }

  private void unbindIfBound(String address) throws IOException {
    Path dev = deviceDir(address);
    if (!Files.isSymbolicLink(dev.resolve("driver"))) {
      return;
    }
    String driver = Files.readSymbolicLink(dev.resolve("driver")).getFileName().toString();
    removeNetdevs(dev);
    Files.delete(dev.resolve("driver"));
    Files.deleteIfExists(root.resolve("bus/pci/drivers").resolve(driver).resolve(address));
  }

  /** Binds the override driver if set, else the device's default driver. */
  private void probe(String address) throws IOException {
    Path dev = deviceDir(address);
    if (!Files.isDirectory(dev)) {
      throw errno("No such device", root.resolve("bus/pci/drivers_probe"));
    }
    if (Files.isSymbolicLink(dev.resolve("driver"))) {
      return;
    }
    String override = Files.readString(dev.resolve("driver_override")).strip();
    String driver;
    if (!override.equals("(null)")) {
      driver = override;
    } else if (vfOwner.containsKey(address)) {
      driver = vfOwner.get(address).vfDriver();
    } else {
      driver = pfs.get(address).pfDriver();
    }
    bind(address, driver);
  }

  private void writeMtu(Path attribute, String value) throws IOException {
    int mtu;
    try {
      mtu = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw errno("Invalid argument", attribute);
    }
    String address =
        Files.readSymbolicLink(attribute.getParent().resolve("device")).getFileName().toString();
    FakeNic nic = pfs.containsKey(address) ? pfs.get(address) : vfOwner.get(address);
    if (mtu < 68 || mtu > nic.maxMtu()) {
      throw errno("Invalid argument", attribute);
    }
    writeAttr(attribute, Integer.toString(mtu));
  }

  private void createNetdevFor(String address) throws IOException {
    if (pfs.containsKey(address)) {
      FakeNic nic = pfs.get(address);
      createNetdev(address, nic.ifName(), nic.mtu(), nic.mac(), "up", nic.linkType(), 25000);
      return;
    }
    FakeNic nic = vfOwner.get(address);
    if (withheldNetdevs.contains(nic.pciAddress())) {
      return;
    }
    int index = vfIndex.get(address);
    String mac = String.format("02:%s:%02x", nic.mac().substring(3, 14), index & 0xff);
    Runnable create =
        () -> {
          synchronized (this) {
            // The VF may have been unbound or removed while the timer ran.
            Path dev = deviceDir(address);
            if (!Files.isSymbolicLink(dev.resolve("driver"))) {
              return;
            }
            try {
              createNetdev(address, nic.vfIfName(index), 1500, mac, "down", nic.linkType(), -1);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        };
    if (vfNetdevDelay.isZero()) {
      create.run();
    } else {
      netdevTimer.schedule(create, vfNetdevDelay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void createNetdev(
      String address, String ifName, int mtu, String mac, String operState, int type, int speed)
      throws IOException {
    Path dev = deviceDir(address);
    Path nd = dev.resolve("net").resolve(ifName);
    if (Files.exists(nd)) {
      return;
    }
    Files.createDirectories(nd);
    writeAttr(nd.resolve("mtu"), Integer.toString(mtu));
    writeAttr(nd.resolve("address"), mac);
    writeAttr(nd.resolve("operstate"), operState);
    writeAttr(nd.resolve("type"), Integer.toString(type));
    if (speed > 0) {
      writeAttr(nd.resolve("speed"), Integer.toString(speed));
    }
    // Like the kernel's link, the target ends with the PCI address (readers take its file name).
    Files.createSymbolicLink(nd.resolve("device"), Path.of("../../..", address));
    Path classLink = root.resolve("class/net").resolve(ifName);
    Files.createSymbolicLink(classLink, classLink.getParent().relativize(nd));
  }

  private void removeNetdevs(Path dev) throws IOException {
    for (String ifName : list(dev.resolve("net"))) {
      Files.deleteIfExists(root.resolve("class/net").resolve(ifName));
      deleteRecursively(dev.resolve("net").resolve(ifName));
    }
  }

  private Path createPciDevice(String address, String vendor, String device) throws IOException {
    Path dev = deviceDir(address);
    Files.createDirectories(dev);
    writeAttr(dev.resolve("vendor"), "0x" + vendor);
    writeAttr(dev.resolve("device"), "0x" + device);
    writeAttr(dev.resolve("class"), "0x020000");
    writeAttr(dev.resolve("driver_override"), "(null)");
    writeAttr(dev.resolve("numa_node"), "0");
    Path busLink = root.resolve("bus/pci/devices").resolve(address);
    Files.createSymbolicLink(busLink, busLink.getParent().relativize(dev));
    return dev;
  }

  private Path ensureDriver(String driver) throws IOException {
    Path dir = root.resolve("bus/pci/drivers").resolve(driver);
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      writeAttr(dir.resolve("bind"), "");
      writeAttr(dir.resolve("unbind"), "");
      writeAttr(dir.resolve("new_id"), "");
    }
    return dir;
  }

  /** Devices live under {@code devices/pci<domain>:<bus>/}, linked from {@code bus/pci/devices}. */
  private Path deviceDir(String address) {
    return root.resolve("devices").resolve("pci" + address.substring(0, 7)).resolve(address);
  }

  private IOException errno(String message, Path attribute) {
    return new IOException("write error on " + root.relativize(attribute) + ": " + message);
  }

  private static void writeAttr(Path file, String content) throws IOException {
    Files.writeString(
        file,
        content + "\n",
        StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
  }

  private static List<String> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
