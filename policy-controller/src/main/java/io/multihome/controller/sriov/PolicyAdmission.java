package io.multihome.controller.sriov;

import io.multihome.api.sriov.SriovNetworkNodePolicy;
import io.multihome.sriov.policy.FieldError;
import io.multihome.sriov.policy.NodeInventory;
import io.multihome.sriov.policy.PolicyValidator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which policies may reach nodes: upstream's webhook rules, run by the controller on every
 * evaluation because node inventories change after admission.
 *
 * <p>Policies are judged oldest first (creationTimestamp, then name) and each one only against the
 * policies accepted before it. Upstream's webhook rejects the newcomer of a conflicting pair; doing
 * the same here means a new overlapping policy is refused while the one already in use keeps
 * working, instead of both disappearing from the nodes.
 */
public final class PolicyAdmission {
  private final PolicyValidator validator;

  public PolicyAdmission(PolicyValidator validator) {
    this.validator = validator;
  }

  /** The verdict on every policy. */
  public record Result(
      List<SriovNetworkNodePolicy> accepted, Map<String, List<FieldError>> rejected) {
    public Result {
      accepted = List.copyOf(accepted);
      rejected = Map.copyOf(rejected);
    }

    /** Errors of one policy by name; empty when it was accepted. */
    public List<FieldError> errorsOf(String policyName) {
      return rejected.getOrDefault(policyName, List.of());
    }
  }

  public Result evaluate(Collection<SriovNetworkNodePolicy> policies, List<NodeInventory> nodes) {
    var ordered =
        policies.stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .sorted(oldestFirst())
            .toList();
    var accepted = new ArrayList<SriovNetworkNodePolicy>();
    var rejected = new LinkedHashMap<String, List<FieldError>>();
    for (SriovNetworkNodePolicy policy : ordered) {
      List<FieldError> errors = validator.validate(policy, List.copyOf(accepted), nodes);
      if (errors.isEmpty()) {
        accepted.add(policy);
      } else {
        rejected.put(policy.getMetadata().getName(), errors);
      }
    }
    return new Result(accepted, rejected);
  }

  private static Comparator<SriovNetworkNodePolicy> oldestFirst() {
    // RFC 3339 timestamps in UTC sort as strings; a missing one (not yet persisted) sorts last.
    return Comparator.comparing(
            (SriovNetworkNodePolicy p) -> p.getMetadata().getCreationTimestamp(),
            Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparing(p -> p.getMetadata().getName());
  }
}
