package io.multihome.sriov.policy;

import static io.multihome.sriov.policy.NicMatcher.isBlank;
import static io.multihome.sriov.policy.NicMatcher.isNullOrEmpty;

import io.multihome.api.read.ReadReport;
import io.multihome.api.sriov.DeviceType;
import io.multihome.api.sriov.ESwitchMode;
import io.multihome.api.sriov.InterfaceExt;
import io.multihome.api.sriov.NicSelector;
import io.multihome.api.sriov.SriovNetworkNodePolicy;
import io.multihome.api.sriov.SriovNetworkNodePolicySpec;
import io.multihome.sriov.sysfs.SysfsLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Upstream's admission rules for SriovNetworkNodePolicy (pkg/webhook/validate.go), run by the
 * controller before a policy may influence any node. Every problem is returned, each with its field
 * path; an empty list means the policy is accepted.
 */
public final class PolicyValidator {
  public static final Pattern RESOURCE_NAME =
      Pattern.compile("^[a-zA-Z0-9]([a-zA-Z0-9_-]*[a-zA-Z0-9])?$");
  public static final String MELLANOX_VENDOR = "15b3";

  /** Upstream caps Mellanox at 128 VFs, as firmware (not sriov_totalvfs) decides the real limit. */
  public static final int MELLANOX_MAX_VFS = 128;

  private static final Pattern HEX_ID = Pattern.compile("^[0-9a-fA-F]{4}$");
  private static final int MIN_MTU = 68;

  private final SupportedNics supported;

  public PolicyValidator(SupportedNics supported) {
    this.supported = supported;
  }

  /** All checks: the policy alone, against the nodes, against the other policies. */
  public List<FieldError> validate(
      SriovNetworkNodePolicy policy,
      List<SriovNetworkNodePolicy> otherPolicies,
      List<NodeInventory> nodes) {
    var errors = new ArrayList<>(validateSpec(policy));
    if (errors.isEmpty()) {
      errors.addAll(validateAgainstNodes(policy, nodes));
      errors.addAll(validateAgainstPolicies(policy, otherPolicies, nodes));
    }
    return errors;
  }

  /**
   * Checks that need nothing but the policy. Fields the lenient reader could not take come first;
   * when anything is wrong, unknown fields are named too (a typo such as {@code numVFs} is
   * otherwise only "spec.numVfs: is required").
   */
  public List<FieldError> validateSpec(SriovNetworkNodePolicy policy) {
    var report = ReadReport.of(policy);
    var errors = new ArrayList<FieldError>();
    report.problems().forEach(p -> errors.add(new FieldError(p.path(), p.reason())));
    errors.addAll(checkSpec(policy));
    if (!errors.isEmpty()) {
      report.ignoredFields().forEach(f -> errors.add(new FieldError(f, "unknown field, ignored")));
    }
    return errors;
  }

  private List<FieldError> checkSpec(SriovNetworkNodePolicy policy) {
    var errors = new ArrayList<FieldError>();
    if (policy.getMetadata() == null || isBlank(policy.getMetadata().getName())) {
      errors.add(new FieldError("metadata.name", "is required"));
    }
    SriovNetworkNodePolicySpec spec = policy.getSpec();
    if (spec == null) {
      errors.add(new FieldError("spec", "is required"));
      return errors;
    }
    checkResourceName(errors, spec.getResourceName());
    if (spec.getNodeSelector() == null) {
      errors.add(new FieldError("spec.nodeSelector", "is required"));
    }
    if (spec.getPriority() != null && (spec.getPriority() < 0 || spec.getPriority() > 99)) {
      errors.add(new FieldError("spec.priority", spec.getPriority() + " is outside 0-99"));
    }
    if (spec.getMtu() != null && spec.getMtu() < MIN_MTU) {
      errors.add(new FieldError("spec.mtu", spec.getMtu() + " is below the minimum " + MIN_MTU));
    }
    if (spec.getNumVfs() == null) {
      errors.add(new FieldError("spec.numVfs", "is required"));
    } else if (spec.getNumVfs() <= 0) {
      errors.add(new FieldError("spec.numVfs", "must be greater than 0"));
    }
    checkNicSelector(errors, spec);
    checkCombinations(errors, spec);
    return errors;
  }

  private void checkResourceName(List<FieldError> errors, String name) {
    if (isBlank(name)) {
      errors.add(new FieldError("spec.resourceName", "is required"));
    } else if (name.length() > 63) {
      errors.add(new FieldError("spec.resourceName", "must be at most 63 characters"));
    } else if (!RESOURCE_NAME.matcher(name).matches()) {
      errors.add(
          new FieldError(
              "spec.resourceName",
              "\""
                  + name
                  + "\" must be letters, digits, '_' or '-', starting and ending with a letter"
                  + " or digit"));
    }
  }

  private void checkNicSelector(List<FieldError> errors, SriovNetworkNodePolicySpec spec) {
    NicSelector s = spec.getNicSelector();
    if (NicMatcher.isEmpty(s)) {
      errors.add(
          new FieldError(
              "spec.nicSelector",
              "must set at least one of vendor, deviceID, pfNames, rootDevices, netFilter"));
      return;
    }
    if (!isBlank(s.getVendor())) {
      if (!HEX_ID.matcher(s.getVendor()).matches()) {
        errors.add(
            new FieldError("spec.nicSelector.vendor", "must be 4 hex digits, e.g. 8086 or 15b3"));
      } else if (!supported.vendorSupported(s.getVendor().toLowerCase())) {
        errors.add(
            new FieldError(
                "spec.nicSelector.vendor",
                "vendor "
                    + s.getVendor()
                    + " is not in the supported NIC list (add it to the list or enable dev mode)"));
      }
    }
    if (!isBlank(s.getDeviceID())) {
      if (!HEX_ID.matcher(s.getDeviceID()).matches()) {
        errors.add(new FieldError("spec.nicSelector.deviceID", "must be 4 hex digits, e.g. 158b"));
      } else if (!isBlank(s.getVendor())
          ? !supported.modelSupported(s.getVendor().toLowerCase(), s.getDeviceID().toLowerCase())
          : !supported.deviceSupported(s.getDeviceID().toLowerCase())) {
        errors.add(
            new FieldError(
                "spec.nicSelector.deviceID",
                "device "
                    + (isBlank(s.getVendor()) ? "" : s.getVendor() + ":")
                    + s.getDeviceID()
                    + " is not in the supported NIC list (add it to the list or enable dev mode)"));
      }
    }
    if (s.getRootDevices() != null) {
      for (int i = 0; i < s.getRootDevices().size(); i++) {
        String addr = s.getRootDevices().get(i);
        if (addr == null || !SysfsLayout.PCI_ADDRESS.matcher(addr).matches()) {
          errors.add(
              new FieldError(
                  "spec.nicSelector.rootDevices[" + i + "]",
                  "\"" + addr + "\" is not a PCI address like 0000:3b:00.0"));
        }
      }
    }
    checkPfNames(errors, s, PolicyDefaults.numVfs(spec));
    if (!isBlank(s.getNetFilter())) {
      if (!isBlank(s.getVendor())
          || !isBlank(s.getDeviceID())
          || !isNullOrEmpty(s.getPfNames())
          || !isNullOrEmpty(s.getRootDevices())) {
        errors.add(
            new FieldError(
                "spec.nicSelector.netFilter",
                "cannot be combined with vendor, deviceID, pfNames or rootDevices"));
      }
      if (spec.getESwitchMode() != null || spec.getBridge() != null) {
        errors.add(
            new FieldError(
                "spec.nicSelector.netFilter", "cannot be used with eSwitchMode or bridge"));
      }
      if (PolicyDefaults.isIb(spec.getLinkType())) {
        errors.add(new FieldError("spec.linkType", "only eth is supported with netFilter"));
      }
    }
  }

  private void checkPfNames(List<FieldError> errors, NicSelector s, int numVfs) {
    if (s.getPfNames() == null) {
      return;
    }
    var parsed = new ArrayList<Optional<PfNameSelector>>();
    for (int i = 0; i < s.getPfNames().size(); i++) {
      String path = "spec.nicSelector.pfNames[" + i + "]";
      try {
        PfNameSelector sel = PfNameSelector.parse(s.getPfNames().get(i));
        parsed.add(Optional.of(sel));
        if (sel.range().isPresent() && numVfs > 0 && sel.range().get().last() >= numVfs) {
          errors.add(
              new FieldError(
                  path,
                  "VF range "
                      + sel.range().get()
                      + " ends at or beyond spec.numVfs "
                      + numVfs
                      + " (the last VF index is "
                      + (numVfs - 1)
                      + ")"));
        }
      } catch (IllegalArgumentException e) {
        parsed.add(Optional.empty());
        errors.add(new FieldError(path, e.getMessage()));
      }
    }
    for (int i = 0; i < parsed.size(); i++) {
      for (int j = i + 1; j < parsed.size(); j++) {
        if (parsed.get(i).isPresent()
            && parsed.get(j).isPresent()
            && parsed.get(i).get().name().equals(parsed.get(j).get().name())) {
          errors.add(
              new FieldError(
                  "spec.nicSelector.pfNames[" + j + "]",
                  "names PF "
                      + parsed.get(j).get().name()
                      + " again (already pfNames["
                      + i
                      + "])"));
        }
      }
    }
  }

  private void checkCombinations(List<FieldError> errors, SriovNetworkNodePolicySpec spec) {
    DeviceType deviceType = PolicyDefaults.deviceType(spec);
    boolean switchdev = spec.getESwitchMode() == ESwitchMode.SWITCHDEV;
    if (deviceType == DeviceType.VFIO_PCI && Boolean.TRUE.equals(spec.getIsRdma())) {
      errors.add(new FieldError("spec.isRdma", "cannot be true with deviceType vfio-pci"));
    }
    if (switchdev && PolicyDefaults.isIb(spec.getLinkType())) {
      errors.add(new FieldError("spec.eSwitchMode", "switchdev needs linkType eth"));
    }
    if (spec.getVdpaType() != null) {
      if (deviceType != DeviceType.NETDEVICE || !switchdev) {
        errors.add(
            new FieldError(
                "spec.vdpaType", "needs deviceType netdevice and eSwitchMode switchdev"));
      }
      String vendor = spec.getNicSelector() == null ? null : spec.getNicSelector().getVendor();
      if (!isBlank(vendor) && !vendor.equalsIgnoreCase(MELLANOX_VENDOR)) {
        errors.add(new FieldError("spec.vdpaType", "is only supported on Mellanox NICs (15b3)"));
      }
    }
    if (spec.getBridge() != null) {
      if (!switchdev) {
        errors.add(new FieldError("spec.bridge", "needs eSwitchMode switchdev"));
      }
      if (Boolean.TRUE.equals(spec.getExternallyManaged())) {
        errors.add(new FieldError("spec.bridge", "cannot be used with externallyManaged"));
      }
    }
  }

  /** Checks against the nodes the policy selects and the PFs they reported. */
  public List<FieldError> validateAgainstNodes(
      SriovNetworkNodePolicy policy, List<NodeInventory> nodes) {
    var errors = new ArrayList<FieldError>();
    SriovNetworkNodePolicySpec spec = policy.getSpec();
    List<NodeInventory> selected =
        nodes.stream()
            .filter(n -> NicMatcher.selectsNode(spec.getNodeSelector(), n.labels()))
            .toList();
    if (selected.isEmpty()) {
      errors.add(
          new FieldError(
              "spec.nodeSelector",
              "selects none of the " + nodes.size() + " nodes running the SR-IOV agent"));
      return errors;
    }
    int numVfs = PolicyDefaults.numVfs(spec);
    boolean matchedAny = false;
    for (NodeInventory node : selected) {
      for (InterfaceExt pf : node.pfs()) {
        if (!NicMatcher.matches(spec.getNicSelector(), pf)) {
          continue;
        }
        if (!supported.modelSupported(nz(pf.getVendor()), nz(pf.getDeviceID()))) {
          continue;
        }
        matchedAny = true;
        checkPfCapacity(errors, spec, numVfs, node, pf);
      }
    }
    if (!matchedAny) {
      errors.add(
          new FieldError(
              "spec.nicSelector",
              "matches no supported SR-IOV NIC on the selected nodes; they have: "
                  + describe(selected)));
    }
    return errors;
  }

  private void checkPfCapacity(
      List<FieldError> errors,
      SriovNetworkNodePolicySpec spec,
      int numVfs,
      NodeInventory node,
      InterfaceExt pf) {
    String where = pf.getName() + " (" + pf.getPciAddress() + ") on node " + node.name();
    if (Boolean.TRUE.equals(spec.getExternallyManaged())) {
      int existing = Objects.requireNonNullElse(pf.getNumVfs(), 0);
      if (numVfs > existing) {
        errors.add(
            new FieldError(
                "spec.numVfs",
                numVfs
                    + " exceeds the "
                    + existing
                    + " VFs that exist on externally managed "
                    + where));
      }
      if (spec.getMtu() != null && pf.getMtu() != null && spec.getMtu() > pf.getMtu()) {
        errors.add(
            new FieldError(
                "spec.mtu",
                spec.getMtu()
                    + " exceeds the MTU "
                    + pf.getMtu()
                    + " of externally managed "
                    + where));
      }
      if (spec.getLinkType() != null
          && pf.getLinkType() != null
          && !spec.getLinkType().wireValue().equalsIgnoreCase(pf.getLinkType())) {
        errors.add(
            new FieldError(
                "spec.linkType",
                spec.getLinkType()
                    + " differs from the link type "
                    + pf.getLinkType()
                    + " of externally managed "
                    + where));
      }
      return;
    }
    if (MELLANOX_VENDOR.equalsIgnoreCase(pf.getVendor())) {
      if (numVfs > MELLANOX_MAX_VFS) {
        errors.add(
            new FieldError(
                "spec.numVfs",
                numVfs + " exceeds the Mellanox limit of " + MELLANOX_MAX_VFS + " on " + where));
      }
    } else if (pf.getTotalVfs() != null && numVfs > pf.getTotalVfs()) {
      errors.add(
          new FieldError(
              "spec.numVfs",
              numVfs + " exceeds sriov_totalvfs " + pf.getTotalVfs() + " of " + where));
    }
  }

  /** Checks against the other policies that share nodes and PFs with this one. */
  public List<FieldError> validateAgainstPolicies(
      SriovNetworkNodePolicy policy,
      List<SriovNetworkNodePolicy> others,
      List<NodeInventory> nodes) {
    var errors = new ArrayList<FieldError>();
    SriovNetworkNodePolicySpec spec = policy.getSpec();
    String name = policy.getMetadata().getName();
    for (SriovNetworkNodePolicy other : others) {
      if (other.getSpec() == null || name.equals(other.getMetadata().getName())) {
        continue;
      }
      SriovNetworkNodePolicySpec o = other.getSpec();
      String otherName = other.getMetadata().getName();
      if (Objects.equals(spec.getResourceName(), o.getResourceName())
          && Boolean.TRUE.equals(spec.getExcludeTopology())
              != Boolean.TRUE.equals(o.getExcludeTopology())) {
        errors.add(
            new FieldError(
                "spec.excludeTopology",
                "differs from policy "
                    + otherName
                    + " for the same resourceName "
                    + spec.getResourceName()));
      }
      List<String> mine = spec.getNicSelector().getRootDevices();
      List<String> theirs = o.getNicSelector() == null ? null : o.getNicSelector().getRootDevices();
      if (!isNullOrEmpty(mine) && !isNullOrEmpty(theirs) && selectSameNode(spec, o, nodes)) {
        // Upstream's validateRootDevices: any shared address, with its message.
        for (int i = 0; i < mine.size(); i++) {
          if (theirs.contains(mine.get(i))) {
            errors.add(
                new FieldError(
                    "spec.nicSelector.rootDevices[" + i + "]",
                    "root device "
                        + mine.get(i)
                        + " is overlapped with existing policy "
                        + otherName));
          }
        }
      }
      for (NodeInventory node : nodes) {
        if (!NicMatcher.selectsNode(spec.getNodeSelector(), node.labels())
            || !NicMatcher.selectsNode(o.getNodeSelector(), node.labels())) {
          continue;
        }
        for (InterfaceExt pf : node.pfs()) {
          if (NicMatcher.matches(spec.getNicSelector(), pf)
              && NicMatcher.matches(o.getNicSelector(), pf)) {
            checkSharedPf(errors, spec, o, otherName, node, pf);
          }
        }
      }
    }
    return errors.stream().distinct().toList();
  }

  private void checkSharedPf(
      List<FieldError> errors,
      SriovNetworkNodePolicySpec spec,
      SriovNetworkNodePolicySpec o,
      String otherName,
      NodeInventory node,
      InterfaceExt pf) {
    String where = pf.getName() + " (" + pf.getPciAddress() + ") on node " + node.name();
    if (Boolean.TRUE.equals(spec.getExternallyManaged())
        != Boolean.TRUE.equals(o.getExternallyManaged())) {
      errors.add(
          new FieldError(
              "spec.externallyManaged",
              "differs from policy " + otherName + ", which also configures " + where));
    }
    Optional<PfNameSelector> mine = NicMatcher.pfNameSelector(spec.getNicSelector(), pf);
    Optional<PfNameSelector> theirs = NicMatcher.pfNameSelector(o.getNicSelector(), pf);
    if (mine.isPresent() && theirs.isPresent() && overlaps(mine.get(), theirs.get())) {
      String entry = rawEntry(spec, mine.get());
      int index = spec.getNicSelector().getPfNames().indexOf(entry);
      // Upstream's webhook (validatePfNames) and its message, word for word.
      errors.add(
          new FieldError(
              "spec.nicSelector.pfNames[" + index + "]",
              "VF index range in " + entry + " is overlapped with existing policy " + otherName));
    }
  }

  /**
   * Upstream's rule: a pfNames entry without a range stands for the index range (-1, -1). Two
   * whole-PF entries therefore overlap, two ranges overlap when they share an index, and a whole-PF
   * entry never overlaps a ranged one (upstream admits that pair; the priorities then decide).
   */
  static boolean overlaps(PfNameSelector a, PfNameSelector b) {
    if (a.range().isEmpty() || b.range().isEmpty()) {
      return a.range().isEmpty() && b.range().isEmpty();
    }
    return a.range().get().overlaps(b.range().get());
  }

  private static String rawEntry(SriovNetworkNodePolicySpec spec, PfNameSelector sel) {
    return spec.getNicSelector().getPfNames().stream()
        .filter(e -> e.equals(sel.name()) || e.startsWith(sel.name() + "#"))
        .findFirst()
        .orElse(sel.name());
  }

  private static boolean selectSameNode(
      SriovNetworkNodePolicySpec a, SriovNetworkNodePolicySpec b, List<NodeInventory> nodes) {
    return nodes.stream()
        .anyMatch(
            n ->
                NicMatcher.selectsNode(a.getNodeSelector(), n.labels())
                    && NicMatcher.selectsNode(b.getNodeSelector(), n.labels()));
  }

  /** "node-a: ens1f0 8086:158b 0000:3b:00.0, ..." so users see what they could have selected. */
  private String describe(List<NodeInventory> nodes) {
    var parts = new ArrayList<String>();
    for (NodeInventory n : nodes) {
      if (n.pfs().isEmpty()) {
        parts.add(n.name() + ": no SR-IOV PFs reported");
        continue;
      }
      for (InterfaceExt pf : n.pfs()) {
        String model = nz(pf.getVendor()) + ":" + nz(pf.getDeviceID());
        parts.add(
            n.name()
                + ": "
                + pf.getName()
                + " "
                + model
                + " "
                + pf.getPciAddress()
                + (supported.modelSupported(nz(pf.getVendor()), nz(pf.getDeviceID()))
                    ? ""
                    : " (model not in the supported NIC list)"));
      }
    }
    return String.join(", ", parts);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
