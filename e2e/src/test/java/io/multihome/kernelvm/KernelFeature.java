package io.multihome.kernelvm;

import io.multihome.testkit.KernelTier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Kernel features that kernel tests need, each probed for real once per JVM.
 *
 * <p>On a kernel without the feature a test is skipped with a message naming it. In the kernel VM
 * tier ({@code -Dmultihome.kernelvm=true}, set by kernel-vm/run-tier.sh) every feature must be
 * present, so a missing one fails the test instead of letting it pass silently as skipped.
 *
 * <p>Probes only touch throwaway namespaces ({@code mh-kvm-<random>}) or read sysfs.
 */
public enum KernelFeature {
  NETNS("network namespaces (needs root and iproute2)", netns -> Optional.empty()),
  DUMMY(
      "dummy links (module dummy)",
      netns -> failure(netns.tryIp("link", "add", "p0", "type", "dummy"))),
  VLAN_8021Q("802.1Q VLAN links (module 8021q)", netns -> vlanProbe(netns, "802.1Q")),
  VLAN_8021AD("802.1ad VLAN links (module 8021q)", netns -> vlanProbe(netns, "802.1ad")),
  BOND(
      "bond links (module bonding)",
      netns -> failure(netns.tryIp("link", "add", "p0", "type", "bond"))),
  BRIDGE_VLAN_FILTERING(
      "bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING)", KernelFeature::bridgeVlanProbe),
  NETDEVSIM(
      "netdevsim SR-IOV emulation (module netdevsim, /sys/bus/netdevsim)",
      netns ->
          Files.exists(Path.of("/sys/bus/netdevsim/new_device"))
              ? Optional.empty()
              : Optional.of("/sys/bus/netdevsim/new_device does not exist")),
  OPENVSWITCH_DATAPATH(
      "the Open vSwitch kernel datapath (module openvswitch)",
      netns ->
          Files.isDirectory(Path.of("/sys/module/openvswitch"))
              ? Optional.empty()
              : Optional.of(
                  "/sys/module/openvswitch does not exist (bridges need datapath_type netdev)")),
  EMULATED_SRIOV_NIC(
      "an emulated PCI SR-IOV NIC (QEMU -device igb: kernel-vm.sh run --igb)",
      netns ->
          EmulatedIgb.find().isPresent()
              ? Optional.empty()
              : Optional.of(EmulatedIgb.absentReason()));

  /** Set to true by the kernel VM tier: a missing feature is then a failure, not a skip. */
  public static final String KERNEL_VM_PROPERTY = KernelTier.PROPERTY;

  /** Set to true when the VM has the emulated igb NIC, so EMULATED_SRIOV_NIC is required too. */
  public static final String KERNEL_VM_IGB_PROPERTY = "multihome.kernelvm.igb";

  private static final Map<KernelFeature, Optional<String>> PROBED = new ConcurrentHashMap<>();

  private final String description;
  private final Function<TestNetns, Optional<String>> probe;

  KernelFeature(String description, Function<TestNetns, Optional<String>> probe) {
    this.description = description;
    this.probe = probe;
  }

  public String description() {
    return description;
  }

  /** Whether this kernel has the feature (probed once, then cached). */
  public boolean present() {
    return missingReason().isEmpty();
  }

  /**
   * Skips the calling test (or fails it in the kernel VM) unless every feature is present. Call it
   * first in a test or in {@code @BeforeEach}; not in {@code @BeforeAll}, where an abort hides the
   * class's tests from the reports.
   */
  public static void require(KernelFeature... features) {
    var missing = new ArrayList<String>();
    var required = false;
    for (var feature : Stream.concat(Stream.of(NETNS), Stream.of(features)).distinct().toList()) {
      var reason = feature.missingReason();
      if (reason.isPresent()) {
        missing.add(feature.description + " [" + reason.get() + "]");
        required |= feature.requiredHere();
      }
    }
    KernelTier.decide(missing, required);
  }

  /**
   * Whether this JVM runs inside the kernel VM: the tier's system property, or KERNEL_VM=1 which
   * the guest's init exports to everything it runs (so a JVM started by hand there is strict too).
   */
  public static boolean inKernelVm() {
    return KernelTier.strict();
  }

  private boolean requiredHere() {
    if (this == EMULATED_SRIOV_NIC) {
      return Boolean.getBoolean(KERNEL_VM_IGB_PROPERTY);
    }
    return inKernelVm();
  }

  private Optional<String> missingReason() {
    return PROBED.computeIfAbsent(this, KernelFeature::probeOnce);
  }

  private Optional<String> probeOnce() {
    TestNetns netns;
    try {
      netns = TestNetns.create();
    } catch (AssertionError e) {
      return Optional.of(e.getMessage());
    }
    try (netns) {
      return probe.apply(netns);
    }
  }

  private static Optional<String> failure(CommandResult result) {
    return result.ok() ? Optional.empty() : Optional.of(result.describe());
  }

  private static Optional<String> vlanProbe(TestNetns netns, String protocol) {
    // veth is the parent because it exists on every kernel we run on, so this probes only 8021q.
    var veth = netns.tryIp("link", "add", "p0", "type", "veth", "peer", "name", "p1");
    if (!veth.ok()) {
      return failure(veth);
    }
    return failure(
        netns.tryIp(
            "link",
            "add",
            "link",
            "p0",
            "name",
            "p0.7",
            "type",
            "vlan",
            "protocol",
            protocol,
            "id",
            "7"));
  }

  private static Optional<String> bridgeVlanProbe(TestNetns netns) {
    var add = netns.tryIp("link", "add", "p0", "type", "bridge", "vlan_filtering", "1");
    if (!add.ok()) {
      return failure(add);
    }
    var filtering = netns.link("p0").at("/linkinfo/info_data/vlan_filtering").asInt(-1);
    return filtering == 1
        ? Optional.empty()
        : Optional.of("bridge created but vlan_filtering reads back " + filtering);
  }
}
