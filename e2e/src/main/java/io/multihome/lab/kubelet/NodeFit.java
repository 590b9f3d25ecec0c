package io.multihome.lab.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The default scheduler's filters the lab applies, in the scheduler's order, each returning the
 * reason a node does not fit in the scheduler's words: NodeUnschedulable ({@code node(s) were
 * unschedulable}), TaintToleration ({@code node(s) had untolerated taint {key: value}}, effects
 * NoSchedule and NoExecute), NodeAffinity ({@code node(s) didn't match Pod's node
 * affinity/selector}: {@code nodeSelector} and required node affinity), NodeResourcesFit ({@code
 * Insufficient <resource>}, {@code Too many pods}) against the node's allocatable minus the
 * requests of pods already bound to it.
 */
final class NodeFit {
  static final String UNSCHEDULABLE = "node(s) were unschedulable";
  static final String AFFINITY = "node(s) didn't match Pod's node affinity/selector";
  static final String TOO_MANY_PODS = "Too many pods";

  private NodeFit() {}

  /** Why {@code node} cannot take {@code pod} given the pods already on it; empty if it fits. */
  static List<String> reasons(Pod pod, Node node, Collection<Pod> boundToNode) {
    if (node.getSpec() != null
        && Boolean.TRUE.equals(node.getSpec().getUnschedulable())
        && !tolerates(pod, new Taint("NoSchedule", "node.kubernetes.io/unschedulable", null, ""))) {
      return List.of(UNSCHEDULABLE);
    }
    var taint = untoleratedTaint(pod, node);
    if (taint.isPresent()) {
      var t = taint.get();
      return List.of(
          "node(s) had untolerated taint {"
              + t.getKey()
              + ": "
              + Objects.requireNonNullElse(t.getValue(), "")
              + "}");
    }
    if (!matchesSelectorAndAffinity(pod, node)) {
      return List.of(AFFINITY);
    }
    return insufficient(pod, node, boundToNode);
  }

  /**
   * The FitError message: {@code 0/N nodes are available: } then "count reason" pairs sorted as
   * strings, comma separated, then a full stop (with no node at all, the scheduler's own words).
   */
  static String fitError(int nodes, Map<String, Integer> reasonCounts) {
    if (nodes == 0) {
      return "no nodes available to schedule pods";
    }
    var parts = new ArrayList<String>();
    reasonCounts.forEach((reason, count) -> parts.add(count + " " + reason));
    parts.sort(null);
    var sb = new StringBuilder("0/" + nodes + " nodes are available");
    if (!parts.isEmpty()) {
      sb.append(": ").append(String.join(", ", parts)).append('.');
    } else {
      sb.append('.');
    }
    return sb.toString();
  }

  private static Optional<Taint> untoleratedTaint(Pod pod, Node node) {
    if (node.getSpec() == null || node.getSpec().getTaints() == null) {
      return Optional.empty();
    }
    return node.getSpec().getTaints().stream()
        .filter(t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()))
        .filter(t -> !tolerates(pod, t))
        .findFirst();
  }

  /** Kubernetes' {@code ToleratesTaint} for any of the pod's tolerations. */
  static boolean tolerates(Pod pod, Taint taint) {
    var tolerations = pod.getSpec().getTolerations();
    if (tolerations == null) {
      return false;
    }
    for (Toleration t : tolerations) {
      if (t.getEffect() != null
          && !t.getEffect().isEmpty()
          && !t.getEffect().equals(taint.getEffect())) {
        continue;
      }
      String key = Objects.requireNonNullElse(t.getKey(), "");
      String op = Objects.requireNonNullElse(t.getOperator(), "Equal");
      if (!key.isEmpty() && !key.equals(taint.getKey())) {
        continue;
      }
      if (key.isEmpty() && !op.equals("Exists")) {
        continue;
      }
      if (op.equals("Exists")
          || Objects.requireNonNullElse(t.getValue(), "")
              .equals(Objects.requireNonNullElse(taint.getValue(), ""))) {
        return true;
      }
    }
    return false;
  }

  static boolean matchesSelectorAndAffinity(Pod pod, Node node) {
    Map<String, String> labels =
        Objects.requireNonNullElse(node.getMetadata().getLabels(), Map.of());
    var selector = pod.getSpec().getNodeSelector();
    if (selector != null) {
      for (var e : selector.entrySet()) {
        if (!Objects.equals(labels.get(e.getKey()), e.getValue())) {
          return false;
        }
      }
    }
    var affinity = pod.getSpec().getAffinity();
    if (affinity == null
        || affinity.getNodeAffinity() == null
        || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return true;
    }
    var terms =
        affinity
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms();
    // Terms are ORed; an empty list of terms matches no node.
    return terms != null && terms.stream().anyMatch(t -> termMatches(t, node, labels));
  }

  private static boolean termMatches(NodeSelectorTerm term, Node node, Map<String, String> labels) {
    var exprs =
        Objects.requireNonNullElse(term.getMatchExpressions(), List.<NodeSelectorRequirement>of());
    var fields =
        Objects.requireNonNullElse(term.getMatchFields(), List.<NodeSelectorRequirement>of());
    if (exprs.isEmpty() && fields.isEmpty()) {
      return false; // an empty term matches nothing
    }
    for (var r : exprs) {
      if (!requirementMatches(r, labels.get(r.getKey()), labels.containsKey(r.getKey()))) {
        return false;
      }
    }
    for (var r : fields) {
      boolean isName = "metadata.name".equals(r.getKey());
      if (!isName || !requirementMatches(r, node.getMetadata().getName(), true)) {
        return false;
      }
    }
    return true;
  }

  private static boolean requirementMatches(NodeSelectorRequirement r, String value, boolean has) {
    var values = Objects.requireNonNullElse(r.getValues(), List.<String>of());
    return switch (Objects.requireNonNullElse(r.getOperator(), "")) {
      case "In" -> has && values.contains(value);
      case "NotIn" -> !has || !values.contains(value);
      case "Exists" -> has;
      case "DoesNotExist" -> !has;
      case "Gt", "Lt" ->
          has && values.size() == 1 && compareInts(value, values.get(0), r.getOperator());
      default -> false;
    };
  }

  private static boolean compareInts(String label, String bound, String op) {
    try {
      long l = Long.parseLong(label);
      long b = Long.parseLong(bound);
      return op.equals("Gt") ? l > b : l < b;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** NodeResourcesFit: every requested resource must fit in allocatable minus what is used. */
  private static List<String> insufficient(Pod pod, Node node, Collection<Pod> bound) {
    var reasons = new ArrayList<String>();
    Map<String, Quantity> allocatable =
        node.getStatus() == null || node.getStatus().getAllocatable() == null
            ? Map.of()
            : node.getStatus().getAllocatable();
    Quantity maxPods = allocatable.get("pods");
    if (maxPods != null && bound.size() + 1 > amount(maxPods).intValue()) {
      reasons.add(TOO_MANY_PODS);
    }
    var used = new TreeMap<String, BigDecimal>();
    bound.forEach(p -> requests(p).forEach((r, q) -> used.merge(r, q, BigDecimal::add)));
    for (var want : requests(pod).entrySet()) {
      if (want.getValue().signum() == 0) {
        continue;
      }
      Quantity have = allocatable.get(want.getKey());
      BigDecimal free =
          (have == null ? BigDecimal.ZERO : amount(have))
              .subtract(used.getOrDefault(want.getKey(), BigDecimal.ZERO));
      if (want.getValue().compareTo(free) > 0) {
        reasons.add("Insufficient " + want.getKey());
      }
    }
    return reasons;
  }

  /**
   * A pod's effective requests: per resource the larger of the sum over its containers and the
   * largest init container; a limit stands in for a missing request (API defaulting).
   */
  static Map<String, BigDecimal> requests(Pod pod) {
    var sum = new TreeMap<String, BigDecimal>();
    for (Container c : pod.getSpec().getContainers()) {
      containerRequests(c).forEach((r, q) -> sum.merge(r, q, BigDecimal::add));
    }
    if (pod.getSpec().getInitContainers() != null) {
      for (Container c : pod.getSpec().getInitContainers()) {
        containerRequests(c).forEach((r, q) -> sum.merge(r, q, BigDecimal::max));
      }
    }
    return sum;
  }

  private static Map<String, BigDecimal> containerRequests(Container c) {
    var out = new TreeMap<String, BigDecimal>();
    if (c.getResources() == null) {
      return out;
    }
    if (c.getResources().getLimits() != null) {
      c.getResources().getLimits().forEach((r, q) -> out.put(r, amount(q)));
    }
    if (c.getResources().getRequests() != null) {
      c.getResources().getRequests().forEach((r, q) -> out.put(r, amount(q)));
    }
    return out;
  }

  private static BigDecimal amount(Quantity q) {
    return Quantity.getAmountInBytes(q);
  }
}
