package io.multihome.sriov.sysfs;

import io.multihome.api.sriov.DeviceType;
import io.multihome.api.sriov.SriovInterface;
import io.multihome.api.sriov.SriovNetworkNodeStateSpec;
import io.multihome.api.sriov.VfGroup;
import io.multihome.sriov.policy.VfRange;
import io.multihome.sriov.sysfs.ConfiguredPfStore.ConfiguredPf;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the node match a {@code SriovNetworkNodeState.spec} through sysfs (VF counts, VF drivers,
 * MTUs) and a {@link VfLinkConfigurator} (admin MACs, link up):
 *
 * <ul>
 *   <li>VF counts go 0 → N, bounded by {@link ProvisioningTimeouts}; externally managed PFs never
 *       have their VF count changed, only verified;
 *   <li>PF MTU is only ever raised; VF MTU is set per VF group;
 *   <li>vfio-pci groups are bound with driver_override; netdevice groups get the default driver;
 *   <li>PFs no longer in the spec are reset only if {@link ConfiguredPfStore} says we changed them;
 *   <li>one failing PF is reset and reported, the others are still configured; the result is always
 *       terminal ({@link ApplyResult.Failed} carries the reason for {@code lastSyncError}).
 * </ul>
 */
public final class SriovProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(SriovProvisioner.class);

  private final SriovSysfsOps ops;
  private final VfLinkConfigurator links;
  private final ConfiguredPfStore store;

  public SriovProvisioner(SriovSysfsOps ops, VfLinkConfigurator links, ConfiguredPfStore store) {
    this.ops = ops;
    this.links = links;
    this.store = store;
  }

  public ApplyResult apply(SriovNetworkNodeStateSpec spec) {
    var changes = new ArrayList<String>();
    var errors = new ArrayList<String>();
    List<SriovInterface> interfaces =
        spec == null || spec.getInterfaces() == null ? List.of() : spec.getInterfaces();
    Set<String> wanted = new HashSet<>();
    try {
      for (int i = 0; i < interfaces.size(); i++) {
        SriovInterface iface = interfaces.get(i);
        wanted.add(iface.getPciAddress());
        String where = "spec.interfaces[" + i + "] (" + iface.getPciAddress() + ")";
        try {
          configure(iface, changes);
        } catch (IOException | RuntimeException e) {
          LOG.warn("{}: {}", where, e.getMessage());
          errors.add(where + ": " + e.getMessage());
          if (!Boolean.TRUE.equals(iface.getExternallyManaged())) {
            resetAfterFailure(iface.getPciAddress(), changes, errors);
          }
        }
      }
      for (ConfiguredPf pf : store.all()) {
        if (!wanted.contains(pf.pciAddress())) {
          try {
            reset(pf, changes);
          } catch (IOException | RuntimeException e) {
            errors.add("reset of " + pf.pciAddress() + ": " + e.getMessage());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      errors.add("interrupted while applying");
    }
    return errors.isEmpty()
        ? new ApplyResult.Succeeded(changes)
        : new ApplyResult.Failed(String.join("; ", errors), changes);
  }

  private void configure(SriovInterface iface, List<String> changes)
      throws IOException, InterruptedException {
    String pci = iface.getPciAddress();
    PfRecord pf =
        ops.discovery()
            .findPf(pci)
            .orElseThrow(() -> new ProvisioningException("no SR-IOV PF at " + pci));
    int numVfs = Objects.requireNonNullElse(iface.getNumVfs(), 0);
    int pfMtu = pf.netdev().map(NetdevRecord::mtu).orElse(0);
    if (Boolean.TRUE.equals(iface.getExternallyManaged())) {
      if (pf.numVfs() < numVfs) {
        throw new ProvisioningException(
            "externally managed PF has "
                + pf.numVfs()
                + " VFs but "
                + numVfs
                + " are required; its VF count is never changed by us");
      }
      if (iface.getMtu() != null && iface.getMtu() > pfMtu) {
        throw new ProvisioningException(
            "externally managed PF has MTU " + pfMtu + ", below the required " + iface.getMtu());
      }
      store.save(new ConfiguredPf(pci, pf.numVfs(), pfMtu, true));
    } else {
      if (numVfs > pf.totalVfs()) {
        throw new ProvisioningException(
            numVfs + " VFs requested but sriov_totalvfs is " + pf.totalVfs());
      }
      if (store.get(pci).isEmpty()) {
        store.save(new ConfiguredPf(pci, pf.numVfs(), pfMtu, false));
      }
      if (pf.numVfs() != numVfs) {
        ops.setNumVfs(pci, numVfs);
        changes.add(pci + ": sriov_numvfs " + pf.numVfs() + " -> " + numVfs);
      }
      if (iface.getMtu() != null && iface.getMtu() > pfMtu && pf.netdevName().isPresent()) {
        ops.setMtu(pf.netdevName().get(), iface.getMtu());
        changes.add(pci + ": PF MTU " + pfMtu + " -> " + iface.getMtu());
      }
    }
    configureVfs(iface, changes);
    if (pf.netdevName().isPresent()) {
      links.setLinkUp(pf.netdevName().get());
    }
  }

  private void configureVfs(SriovInterface iface, List<String> changes)
      throws IOException, InterruptedException {
    PfRecord pf = ops.discovery().findPf(iface.getPciAddress()).orElseThrow();
    List<VfGroup> groups = iface.getVfGroups() == null ? List.of() : iface.getVfGroups();
    for (VfRecord vf : pf.vfs()) {
      Optional<VfGroup> group =
          groups.stream()
              .filter(
                  g -> g.getVfRange() != null && VfRange.parse(g.getVfRange()).contains(vf.vfId()))
              .findFirst();
      String driver = vf.driver().orElse("");
      if (group.isEmpty()) {
        // A VF left on vfio-pci by a removed policy goes back to the kernel.
        if (SriovSysfsOps.USERSPACE_DRIVERS.contains(driver)) {
          ops.bindDefaultDriver(vf.pciAddress());
          changes.add(vf.pciAddress() + ": back to default driver");
        }
        continue;
      }
      if (group.get().getDeviceType() == DeviceType.VFIO_PCI) {
        if (!driver.equals("vfio-pci")) {
          ops.bindDriver(vf.pciAddress(), "vfio-pci");
          changes.add(
              vf.pciAddress() + ": " + (driver.isEmpty() ? "unbound" : driver) + " -> vfio-pci");
        }
        continue;
      }
      if (driver.isEmpty() || SriovSysfsOps.USERSPACE_DRIVERS.contains(driver)) {
        ops.bindDefaultDriver(vf.pciAddress());
        changes.add(
            vf.pciAddress()
                + ": "
                + (driver.isEmpty() ? "unbound" : driver)
                + " -> default driver");
      }
      NetdevRecord netdev = ops.awaitVfNetdev(iface.getPciAddress(), vf.vfId());
      Integer mtu = group.get().getMtu();
      if (mtu != null && netdev.mtu() != mtu) {
        ops.setMtu(netdev.name(), mtu);
        changes.add(netdev.name() + ": MTU " + netdev.mtu() + " -> " + mtu);
      }
      if (pf.netdevName().isPresent()) {
        links.setVfAdminMac(pf.netdevName().get(), vf.vfId(), netdev.mac());
      }
    }
  }

  private void resetAfterFailure(String pci, List<String> changes, List<String> errors)
      throws InterruptedException {
    Optional<ConfiguredPf> record = store.get(pci);
    if (record.isEmpty()) {
      return;
    }
    try {
      reset(record.get(), changes);
    } catch (IOException | RuntimeException e) {
      errors.add("reset of " + pci + " after the failure also failed: " + e.getMessage());
    }
  }

  /** Back to how we found it: no VFs (or the original count) and the original MTU. */
  private void reset(ConfiguredPf record, List<String> changes)
      throws IOException, InterruptedException {
    String pci = record.pciAddress();
    if (record.externallyManaged()) {
      // Someone else owns the VFs: forget the PF, touch nothing.
      store.delete(pci);
      return;
    }
    Optional<PfRecord> pf = ops.discovery().findPf(pci);
    if (pf.isPresent()) {
      if (pf.get().numVfs() != record.originalNumVfs()) {
        ops.setNumVfs(pci, record.originalNumVfs());
        changes.add(
            pci + ": reset sriov_numvfs " + pf.get().numVfs() + " -> " + record.originalNumVfs());
      }
      var netdev = pf.get().netdev();
      if (netdev.isPresent()
          && record.originalMtu() > 0
          && netdev.get().mtu() != record.originalMtu()) {
        ops.setMtu(netdev.get().name(), record.originalMtu());
        changes.add(pci + ": reset PF MTU " + netdev.get().mtu() + " -> " + record.originalMtu());
      }
    }
    store.delete(pci);
  }
}
