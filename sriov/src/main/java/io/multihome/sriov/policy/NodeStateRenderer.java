package io.multihome.sriov.policy;

import io.multihome.api.sriov.InterfaceExt;
import io.multihome.api.sriov.SriovInterface;
import io.multihome.api.sriov.SriovNetworkNodePolicy;
import io.multihome.api.sriov.SriovNetworkNodeStateSpec;
import io.multihome.api.sriov.VfGroup;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Computes one node's {@code SriovNetworkNodeState.spec} from the (already validated) policies, as
 * upstream's policy controller does ({@code api/v1/helper.go}: ByPriority, Apply, mergeConfigs):
 *
 * <ol>
 *   <li>policies whose nodeSelector matches the node, sorted by priority descending then name, so
 *       the highest priority (lowest number) is applied last;
 *   <li>each policy yields, per PF it selects, an interface with one VF group ({@code #first-last}
 *       from pfNames, else all VFs);
 *   <li>on a PF that already has groups, earlier groups survive if their resourceName differs and
 *       their range does not overlap the new group; if any survived, or the two policies have equal
 *       priority, MTU and numVfs are the maximum of both, else the later policy's values.
 * </ol>
 *
 * Interfaces come out sorted by PCI address and groups by first VF so an unchanged input renders an
 * identical spec (no needless updates).
 */
public final class NodeStateRenderer {
  private NodeStateRenderer() {}

  public static SriovNetworkNodeStateSpec render(
      List<SriovNetworkNodePolicy> policies, NodeInventory node) {
    List<SriovNetworkNodePolicy> ordered =
        policies.stream()
            .filter(p -> p.getSpec() != null)
            .filter(p -> NicMatcher.selectsNode(p.getSpec().getNodeSelector(), node.labels()))
            .sorted(byUpstreamPriority())
            .toList();
    Map<String, SriovInterface> byPci = new LinkedHashMap<>();
    Integer previousPriority = null;
    for (SriovNetworkNodePolicy policy : ordered) {
      int priority = PolicyDefaults.priority(policy.getSpec());
      boolean equalPriority = previousPriority != null && previousPriority == priority;
      previousPriority = priority;
      apply(policy, node, byPci, equalPriority);
    }
    var interfaces = new ArrayList<>(byPci.values());
    interfaces.sort(Comparator.comparing(SriovInterface::getPciAddress));
    var spec = new SriovNetworkNodeStateSpec();
    spec.setInterfaces(interfaces);
    return spec;
  }

  /** Priority descending (99 first, 0 last), then name ascending. */
  public static Comparator<SriovNetworkNodePolicy> byUpstreamPriority() {
    return Comparator.<SriovNetworkNodePolicy>comparingInt(
            p -> -PolicyDefaults.priority(p.getSpec()))
        .thenComparing(p -> p.getMetadata().getName());
  }

  private static void apply(
      SriovNetworkNodePolicy policy,
      NodeInventory node,
      Map<String, SriovInterface> byPci,
      boolean equalPriority) {
    var spec = policy.getSpec();
    int numVfs = PolicyDefaults.numVfs(spec);
    if (numVfs <= 0) {
      return;
    }
    for (InterfaceExt pf : node.pfs()) {
      if (!NicMatcher.matches(spec.getNicSelector(), pf)) {
        continue;
      }
      var result = new SriovInterface();
      result.setPciAddress(pf.getPciAddress());
      result.setName(pf.getName());
      result.setMtu(spec.getMtu());
      result.setNumVfs(numVfs);
      result.setLinkType(spec.getLinkType());
      result.setESwitchMode(spec.getESwitchMode());
      result.setExternallyManaged(spec.getExternallyManaged());
      var groups = new ArrayList<VfGroup>();
      groups.add(vfGroup(policy, pf, numVfs));
      result.setVfGroups(groups);
      SriovInterface existing = byPci.get(pf.getPciAddress());
      if (existing != null) {
        merge(existing, result, equalPriority);
      }
      result
          .getVfGroups()
          .sort(Comparator.comparingInt(g -> VfRange.parse(g.getVfRange()).first()));
      byPci.put(pf.getPciAddress(), result);
    }
  }

  private static VfGroup vfGroup(SriovNetworkNodePolicy policy, InterfaceExt pf, int numVfs) {
    var spec = policy.getSpec();
    VfRange range =
        NicMatcher.pfNameSelector(spec.getNicSelector(), pf)
            .flatMap(PfNameSelector::range)
            .orElse(VfRange.all(numVfs));
    var group = new VfGroup();
    group.setResourceName(spec.getResourceName());
    group.setDeviceType(PolicyDefaults.deviceType(spec));
    group.setVfRange(range.toString());
    group.setPolicyName(policy.getMetadata().getName());
    group.setMtu(spec.getMtu());
    group.setIsRdma(PolicyDefaults.isRdma(spec));
    group.setVdpaType(spec.getVdpaType());
    return group;
  }

  /** {@code input} holds the later (higher-priority) policy's group; it wins overlaps. */
  private static void merge(SriovInterface existing, SriovInterface input, boolean equalPriority) {
    VfGroup winner = input.getVfGroups().get(0);
    VfRange winnerRange = VfRange.parse(winner.getVfRange());
    boolean kept = false;
    for (VfGroup group : existing.getVfGroups()) {
      if (Objects.equals(group.getResourceName(), winner.getResourceName())
          || VfRange.parse(group.getVfRange()).overlaps(winnerRange)) {
        continue;
      }
      kept = true;
      input.getVfGroups().add(group);
    }
    if (!equalPriority && !kept) {
      return;
    }
    input.setMtu(max(input.getMtu(), existing.getMtu()));
    input.setNumVfs(Math.max(input.getNumVfs(), existing.getNumVfs()));
  }

  private static Integer max(Integer a, Integer b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : Math.max(a, b);
  }
}
