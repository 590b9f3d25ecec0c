package io.multihome.lab.kubelet;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Owner references, label selectors and pod readiness as the controllers read them. */
final class Owners {
  private Owners() {}

  /** The informer store's key of a namespaced object: {@code namespace/name}. */
  static String key(HasMetadata obj) {
    return obj.getMetadata().getNamespace() + "/" + obj.getMetadata().getName();
  }

  /** The reference a controller puts on what it creates ({@code controller: true}). */
  static OwnerReference controllerRef(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** The object's controlling owner, if any. */
  static Optional<OwnerReference> controllerOf(HasMetadata obj) {
    var refs = obj.getMetadata().getOwnerReferences();
    return refs == null
        ? Optional.empty()
        : refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
  }

  static boolean controlledBy(HasMetadata obj, HasMetadata owner) {
    return controllerOf(obj)
        .map(r -> r.getUid().equals(owner.getMetadata().getUid()))
        .orElse(false);
  }

  /** The owners' UIDs (an informer index: dependents by owner). */
  static List<String> ownerUids(HasMetadata obj) {
    var refs = obj.getMetadata().getOwnerReferences();
    return refs == null ? List.of() : refs.stream().map(OwnerReference::getUid).toList();
  }

  /** A label selector as the API defines it: every matchLabels pair and every expression. */
  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> have = Objects.requireNonNullElse(labels, Map.of());
    if (selector.getMatchLabels() != null) {
      for (var e : selector.getMatchLabels().entrySet()) {
        if (!Objects.equals(have.get(e.getKey()), e.getValue())) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        var values = Objects.requireNonNullElse(r.getValues(), List.<String>of());
        boolean has = have.containsKey(r.getKey());
        boolean ok =
            switch (Objects.requireNonNullElse(r.getOperator(), "")) {
              case "In" -> has && values.contains(have.get(r.getKey()));
              case "NotIn" -> !has || !values.contains(have.get(r.getKey()));
              case "Exists" -> has;
              case "DoesNotExist" -> !has;
              default -> false;
            };
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }

  static boolean active(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return pod.getMetadata().getDeletionTimestamp() == null
        && !"Succeeded".equals(phase)
        && !"Failed".equals(phase);
  }

  static Optional<PodCondition> ready(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }

  /** Ready for at least {@code minReady} (a Deployment's "available"). */
  static boolean available(Pod pod, Duration minReady, Instant now) {
    return ready(pod)
        .map(c -> !ApiTime.parse(c.getLastTransitionTime(), now).plus(minReady).isAfter(now))
        .orElse(false);
  }
}
