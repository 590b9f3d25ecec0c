package io.multihome.sriov.policy;

import static io.multihome.sriov.policy.Policies.node;
import static io.multihome.sriov.policy.Policies.pfNames;
import static io.multihome.sriov.policy.Policies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.api.sriov.DeviceType;
import io.multihome.api.sriov.ESwitchMode;
import io.multihome.api.sriov.LinkType;
import io.multihome.api.sriov.VdpaType;
import io.multihome.sriov.sysfs.fake.FakeKernel;
import io.multihome.sriov.sysfs.fake.FakeNic;
import io.multihome.sriov.sysfs.fake.FakeNics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyValidatorTest {
  @TempDir Path root;
  FakeKernel kernel;
  NodeInventory worker;
  final PolicyValidator validator = new PolicyValidator(SupportedNics.upstreamDefaults());

  @BeforeEach
  void setUp() throws Exception {
    kernel = FakeNics.intelAndMellanox(root);
    worker = node("worker-1", kernel);
  }

  @AfterEach
  void tearDown() {
    kernel.close();
  }

  @Test
  void goodPolicyPasses() {
    var p = pfNames(policy("pol-a", "intel_a", 8), "ens1f0#0-3");
    p.getSpec().setMtu(9000);
    assertThat(validator.validate(p, List.of(), List.of(worker))).isEmpty();
  }

  @Test
  void reportsEveryStaticErrorWithItsPath() {
    var p = policy("bad", "intel a!", 4);
    p.getSpec().setPriority(120);
    p.getSpec().setMtu(10);
    p.getSpec().getNicSelector().setVendor("80861");
    p.getSpec().getNicSelector().setRootDevices(List.of("3b:00.0"));
    p.getSpec().getNicSelector().setPfNames(List.of("ens1f0#2-4", "ens1f1#a-b", "x#1#2"));
    p.getSpec().setDeviceType(DeviceType.VFIO_PCI);
    p.getSpec().setIsRdma(true);

    assertThat(validator.validateSpec(p))
        .extracting(FieldError::path)
        .containsExactlyInAnyOrder(
            "spec.resourceName",
            "spec.priority",
            "spec.mtu",
            "spec.nicSelector.vendor",
            "spec.nicSelector.rootDevices[0]",
            "spec.nicSelector.pfNames[0]",
            "spec.nicSelector.pfNames[1]",
            "spec.nicSelector.pfNames[2]",
            "spec.isRdma");
  }

  @Test
  void rangeEndMustBeBelowNumVfs() {
    var errors = validator.validateSpec(pfNames(policy("p", "r", 4), "ens1f0#0-4"));
    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.path()).isEqualTo("spec.nicSelector.pfNames[0]");
              assertThat(e.message()).contains("0-4").contains("numVfs 4");
            });
  }

  @Test
  void zeroVfsEmptySelectorAndMissingFieldsAreRejected() {
    var p = policy("p", null, 0);
    p.getSpec().setNodeSelector(null);
    assertThat(validator.validateSpec(p))
        .extracting(FieldError::path)
        .containsExactlyInAnyOrder(
            "spec.resourceName", "spec.nodeSelector", "spec.numVfs", "spec.nicSelector");
  }

  @Test
  void unsupportedNicIsRejectedUnlessPermissive() {
    var p = policy("p", "r", 2);
    p.getSpec().getNicSelector().setVendor("8086");
    p.getSpec().getNicSelector().setDeviceID("1528");
    assertThat(validator.validateSpec(p))
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("8086:1528").contains("dev mode"));
    assertThat(new PolicyValidator(SupportedNics.permissive()).validateSpec(p)).isEmpty();
  }

  @Test
  void switchdevVdpaAndBridgeCombinations() {
    var p = policy("p", "r", 2);
    p.getSpec().getNicSelector().setVendor("8086");
    p.getSpec().setLinkType(LinkType.IB);
    p.getSpec().setESwitchMode(ESwitchMode.SWITCHDEV);
    p.getSpec().setVdpaType(VdpaType.VIRTIO);
    p.getSpec().setDeviceType(DeviceType.VFIO_PCI);
    assertThat(validator.validateSpec(p))
        .extracting(FieldError::path)
        .containsExactlyInAnyOrder("spec.eSwitchMode", "spec.vdpaType", "spec.vdpaType");
  }

  @Test
  void numVfsAboveTotalVfsIsRejectedOnIntelAndAbove128OnMellanox() throws Exception {
    kernel.addPf(FakeNic.intelXxv710("0000:3b:00.1", "ens1f1").withTotalVfs(8));
    worker = node("worker-1", kernel);
    var intel = pfNames(policy("p", "r", 16), "ens1f1");
    assertThat(validator.validateAgainstNodes(intel, List.of(worker)))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.path()).isEqualTo("spec.numVfs");
              assertThat(e.message()).contains("sriov_totalvfs 8").contains("worker-1");
            });
    // Mellanox: firmware sets the real limit, so only upstream's 128 cap applies.
    var mlx = pfNames(policy("m", "r", 32), "ens2f0");
    assertThat(validator.validateAgainstNodes(mlx, List.of(worker))).isEmpty();
    mlx.getSpec().setNumVfs(129);
    assertThat(validator.validateAgainstNodes(mlx, List.of(worker)))
        .extracting(FieldError::message)
        .singleElement()
        .asString()
        .contains("128");
  }

  @Test
  void selectorsMatchingNothingSayWhatExists() {
    var p = pfNames(policy("p", "r", 2), "ens9f0");
    assertThat(validator.validateAgainstNodes(p, List.of(worker)))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.path()).isEqualTo("spec.nicSelector");
              assertThat(e.message())
                  .contains("worker-1: ens1f0 8086:158b 0000:3b:00.0")
                  .contains("ens2f0 15b3:1017 0000:5e:00.0");
            });
    p.getSpec().setNodeSelector(Map.of("role", "gpu"));
    assertThat(validator.validateAgainstNodes(p, List.of(worker)))
        .extracting(FieldError::path)
        .containsExactly("spec.nodeSelector");
  }

  @Test
  void overlappingRangesOnTheSamePfAreRejectedButDisjointOnesPass() {
    var a = pfNames(policy("a", "ra", 8), "ens1f0#0-3");
    var b = pfNames(policy("b", "rb", 8), "ens1f0#3-7");
    var c = pfNames(policy("c", "rc", 8), "ens1f0#4-7");

    assertThat(validator.validateAgainstPolicies(b, List.of(a), List.of(worker)))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.path()).isEqualTo("spec.nicSelector.pfNames[0]");
              assertThat(e.message())
                  .isEqualTo("VF index range in ens1f0#3-7 is overlapped with existing policy a");
            });
    assertThat(validator.validateAgainstPolicies(c, List.of(a), List.of(worker))).isEmpty();
  }

  /** Issue 14: upstream's webhook refuses a second whole-PF policy on the same PF. */
  @Test
  void aSecondWholePfPolicyOnTheSamePfIsRejectedAsUpstreamDoes() {
    var a = pfNames(policy("a", "ra", 8), "ens1f0");
    var b = pfNames(policy("b", "rb", 4), "ens2f0", "ens1f0");
    assertThat(validator.validateAgainstPolicies(b, List.of(a), List.of(worker)))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.path()).isEqualTo("spec.nicSelector.pfNames[1]");
              assertThat(e.message())
                  .isEqualTo("VF index range in ens1f0 is overlapped with existing policy a");
            });
    // Upstream's ranges: whole-PF is (-1, -1), so it never overlaps a ranged entry.
    var ranged = pfNames(policy("r", "rr", 8), "ens1f0#0-3");
    assertThat(validator.validateAgainstPolicies(ranged, List.of(a), List.of(worker))).isEmpty();
    // Selecting the PF by vendor only (no pfNames) is not checked: priorities merge them.
    var byVendor = policy("v", "rv", 8);
    byVendor.getSpec().getNicSelector().setVendor("8086");
    assertThat(validator.validateAgainstPolicies(byVendor, List.of(a), List.of(worker))).isEmpty();
  }

  @Test
  void aSharedRootDeviceIsRejectedAsUpstreamDoes() {
    var a = policy("a", "ra", 8);
    a.getSpec().getNicSelector().setRootDevices(List.of("0000:3b:00.0"));
    var b = policy("b", "rb", 8);
    b.getSpec().getNicSelector().setRootDevices(List.of("0000:5e:00.0", "0000:3b:00.0"));
    assertThat(validator.validateAgainstPolicies(b, List.of(a), List.of(worker)))
        .extracting(FieldError::toString)
        .contains(
            "spec.nicSelector.rootDevices[1]: root device 0000:3b:00.0 is overlapped with existing"
                + " policy a");
  }

  @Test
  void mixedExternallyManagedAndExcludeTopologyConflicts() {
    var a = pfNames(policy("a", "shared", 8), "ens1f0#0-3");
    var b = pfNames(policy("b", "shared", 8), "ens1f0#4-7");
    b.getSpec().setExternallyManaged(true);
    b.getSpec().setExcludeTopology(true);
    assertThat(validator.validateAgainstPolicies(b, List.of(a), List.of(worker)))
        .extracting(FieldError::path)
        .containsExactlyInAnyOrder("spec.excludeTopology", "spec.externallyManaged");
  }

  @Test
  void externallyManagedNeedsExistingVfsAndMtu() throws Exception {
    kernel.addPfWithVfs(FakeNic.intelXxv710("0000:3b:00.1", "ens1f1"), 4);
    worker = node("worker-1", kernel);
    var p = pfNames(policy("ext", "r", 6), "ens1f1");
    p.getSpec().setExternallyManaged(true);
    p.getSpec().setMtu(9000);
    assertThat(validator.validateAgainstNodes(p, List.of(worker)))
        .extracting(FieldError::path)
        .containsExactlyInAnyOrder("spec.numVfs", "spec.mtu");
  }

  @Test
  void pfNamesMatchAltNames() {
    worker.pfs().get(0).setAltNames(List.of("enp59s0f0"));
    var p = pfNames(policy("p", "r", 2), "enp59s0f0#0-1");
    assertThat(validator.validate(p, List.of(), List.of(worker))).isEmpty();
  }
}
