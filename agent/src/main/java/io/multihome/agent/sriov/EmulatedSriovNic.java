package io.multihome.agent.sriov;

import io.multihome.agent.netlink.HwAddr;
import io.multihome.agent.netlink.Link;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.netlink.LinkSpec;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.sriov.sysfs.NetdevRecord;
import io.multihome.sriov.sysfs.PfRecord;
import io.multihome.sriov.sysfs.SriovDiscovery;
import io.multihome.sriov.sysfs.Sysfs;
import io.multihome.sriov.sysfs.SysfsWriter;
import io.multihome.sriov.sysfs.VfLinkConfigurator;
import io.multihome.sriov.sysfs.VfRecord;
import io.multihome.sriov.sysfs.fake.FakeKernel;
import io.multihome.sriov.sysfs.fake.FakeNic;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SR-IOV NIC for the lab and kernel tests, on hardware without one: a {@link FakeKernel} sysfs
 * tree describes the PF (PCI ids, driver, {@code sriov_totalvfs}), while the PF netdev is a real
 * link (a veth end) in a node network namespace. Writes go through the fake kernel first; then the
 * real namespace is brought in line: every VF netdev the fake sysfs shows becomes a real macvlan
 * (bridge mode) on the PF with the same name and MAC, and macvlans whose VF netdev went away
 * ({@code sriov_numvfs} 0, VF bound to vfio-pci) are deleted. MTU writes to the PF or a VF netdev
 * are also applied to the real link. So the names the agent publishes are real netdevs a CNI plugin
 * can move into a pod.
 *
 * <p>What it cannot emulate, honestly: a macvlan is not a VF, and a veth has no VF table, so {@code
 * ip link set PF vf N mac M} (IFLA_VF_MAC) cannot work. {@link #vfLinkConfigurator()} instead sets
 * the macvlan's own MAC and records the call in {@link #adminMacCalls()}; the PF's VF info stays
 * empty, so VF VLANs are never reported for emulated VFs. VF netdevs that the fake kernel creates
 * late ({@link FakeKernel#setVfNetdevDelay}) only become macvlans at the next write or {@link
 * #syncVfLinks()}.
 */
public final class EmulatedSriovNic implements SysfsWriter, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmulatedSriovNic.class);

  /** One {@code setVfAdminMac} call as the provisioner made it. */
  public record AdminMacCall(String pfName, int vfId, String mac, String appliedTo) {}

  private final FakeKernel kernel;
  private final FakeNic nic;
  private final String netns;
  private final RtNetlink nl;
  private final Set<String> vfLinks = new LinkedHashSet<>();
  private final List<AdminMacCall> adminMacCalls = new ArrayList<>();

  private EmulatedSriovNic(FakeKernel kernel, FakeNic nic, String netns, RtNetlink nl) {
    this.kernel = kernel;
    this.nic = nic;
    this.netns = netns;
    this.nl = nl;
  }

  /**
   * Emulates {@code template} (PCI ids, VF count, driver) on the existing link {@code
   * template.ifName()} in namespace {@code netns}; the sysfs tree is built under {@code sysfsDir}.
   * The PF's MAC and MTU are taken from the real link.
   */
  public static EmulatedSriovNic create(Path sysfsDir, String netns, FakeNic template)
      throws IOException {
    RtNetlink nl = RtNetlink.openNamed(netns);
    try {
      Link pf =
          nl.links()
              .find(template.ifName())
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "ifName: no link " + template.ifName() + " in netns " + netns));
      var nic =
          new FakeNic(
              template.pciAddress(),
              template.ifName(),
              template.vendor(),
              template.deviceId(),
              template.pfDriver(),
              template.vfDeviceId(),
              template.vfDriver(),
              template.totalVfs(),
              template.vfOffset(),
              template.vfStride(),
              pf.mtu(),
              template.maxMtu(),
              pf.mac().toString(),
              template.linkType());
      FakeKernel kernel = FakeKernel.create(sysfsDir);
      kernel.addPf(nic);
      return new EmulatedSriovNic(kernel, nic, netns, nl);
    } catch (IOException | RuntimeException e) {
      nl.close();
      throw e;
    }
  }

  /** The sysfs to give the agent: reads the tree, writes through this emulation. */
  public Sysfs sysfs() {
    return new Sysfs(kernel.root(), this);
  }

  /** The fake kernel underneath, for failure injection and its write log. */
  public FakeKernel kernel() {
    return kernel;
  }

  public FakeNic nic() {
    return nic;
  }

  public String netns() {
    return netns;
  }

  @Override
  public synchronized void write(Path attribute, String value) throws IOException {
    kernel.write(attribute, value);
    if (attribute.getFileName().toString().equals("mtu")) {
      String ifName = attribute.getParent().getFileName().toString();
      if (nl.links().find(ifName).isPresent()) {
        nl.links().setMtu(ifName, Integer.parseInt(value.strip()));
      }
    }
    syncVfLinks();
  }

  /**
   * Makes the macvlans on the PF match the VF netdevs in the fake sysfs; returns their names by VF
   * id.
   */
  public synchronized Map<Integer, String> syncVfLinks() {
    Map<Integer, NetdevRecord> wanted = new LinkedHashMap<>();
    PfRecord pf = new SriovDiscovery(kernel.sysfs()).findPf(nic.pciAddress()).orElseThrow();
    for (VfRecord vf : pf.vfs()) {
      vf.netdev().ifPresent(nd -> wanted.put(vf.vfId(), nd));
    }
    Set<String> wantedNames = new LinkedHashSet<>();
    wanted.values().forEach(nd -> wantedNames.add(nd.name()));
    for (String name : List.copyOf(vfLinks)) {
      if (!wantedNames.contains(name)) {
        if (nl.links().find(name).isPresent()) {
          nl.links().delete(name);
        }
        vfLinks.remove(name);
        LOG.debug("{}: emulated VF {} removed", netns, name);
      }
    }
    int pfIndex = nl.links().get(nic.ifName()).index();
    var out = new LinkedHashMap<Integer, String>();
    for (var e : wanted.entrySet()) {
      NetdevRecord nd = e.getValue();
      if (!vfLinks.contains(nd.name())) {
        nl.links()
            .add(
                LinkSpec.of(nd.name(), new LinkKind.Macvlan(LinkKind.MacvlanMode.BRIDGE, false))
                    .withParent(pfIndex)
                    .withMac(HwAddr.parse(nd.mac()))
                    .withMtu(nd.mtu()));
        vfLinks.add(nd.name());
        LOG.debug(
            "{}: emulated VF {} = macvlan {} on {}", netns, e.getKey(), nd.name(), nic.ifName());
      }
      out.put(e.getKey(), nd.name());
    }
    return out;
  }

  /** The VF macvlans currently present, as created by this emulation. */
  public synchronized Set<String> vfLinks() {
    return Set.copyOf(vfLinks);
  }

  public synchronized List<AdminMacCall> adminMacCalls() {
    return List.copyOf(adminMacCalls);
  }

  /**
   * The provisioner's seam for this emulation: "VF admin MAC" sets the macvlan's own MAC (a veth
   * has no VF table), link up is real.
   */
  public VfLinkConfigurator vfLinkConfigurator() {
    return new VfLinkConfigurator() {
      @Override
      public void setVfAdminMac(String pfName, int vfId, String mac) throws IOException {
        setMacvlanMac(pfName, vfId, mac);
      }

      @Override
      public void setLinkUp(String ifName) {
        nl.links().setUp(ifName);
      }
    };
  }

  private synchronized void setMacvlanMac(String pfName, int vfId, String mac) throws IOException {
    if (!pfName.equals(nic.ifName())) {
      throw new IOException("emulated NIC has PF " + nic.ifName() + ", not " + pfName);
    }
    String vfName = syncVfLinks().get(vfId);
    if (vfName == null) {
      throw new IOException(pfName + ": VF " + vfId + " has no netdev to set MAC " + mac + " on");
    }
    nl.links().setMac(vfName, HwAddr.parse(mac));
    adminMacCalls.add(new AdminMacCall(pfName, vfId, mac, vfName));
  }

  /** Deletes the VF macvlans this emulation created and releases the fake kernel. */
  @Override
  public synchronized void close() {
    try {
      for (String name : vfLinks) {
        try {
          if (nl.links().find(name).isPresent()) {
            nl.links().delete(name);
          }
        } catch (RuntimeException e) {
          LOG.warn("{}: could not delete emulated VF {}: {}", netns, name, e.toString());
        }
      }
      vfLinks.clear();
    } finally {
      kernel.close();
      nl.close();
    }
  }
}
