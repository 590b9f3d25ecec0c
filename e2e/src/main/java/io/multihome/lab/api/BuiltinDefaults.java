package io.multihome.lab.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * What the API server fills in on built-in kinds before anyone else sees them: a new pod is
 * Pending; a Service gets its cluster IPs ({@link ServiceIps}: 198.18.240.0/22 and
 * 2001:db8:240::/112 by default, IPv4 first, dual stack when its ipFamilyPolicy asks); a Namespace
 * is Active and labelled {@value #NAME_LABEL} with its name; Deployments and ReplicaSets get
 * apps/v1's defaults (replicas, strategy, history limit, progress deadline).
 */
final class BuiltinDefaults implements Admission {
  static final String NAME_LABEL = "kubernetes.io/metadata.name";

  private final ServiceIps ips;

  /**
   * @param serviceRange an IPv4 CIDR, e.g. {@code 198.18.240.0/22}
   * @param serviceRangeV6 an IPv6 CIDR for dual-stack Services, or null
   * @param services the stored Services (to learn what is taken after a restart of the server)
   */
  BuiltinDefaults(
      String serviceRange,
      String serviceRangeV6,
      java.util.function.Supplier<Iterable<ObjectNode>> services) {
    this.ips = new ServiceIps(serviceRange, serviceRangeV6, services);
  }

  @Override
  public Optional<ApiResponse> admit(Write w) {
    if (w.subresource() != null) {
      return Optional.empty();
    }
    if (w.type().group().equals("apps")) {
      workload(w.type().kind(), w.object().withObject("/spec"));
      return Optional.empty();
    }
    if (!w.type().group().isEmpty()) {
      return Optional.empty();
    }
    var o = w.object();
    switch (w.type().kind()) {
      case "Pod":
        if (w.operation() == Operation.CREATE && o.path("status").path("phase").isMissingNode()) {
          o.withObject("/status").put("phase", "Pending");
        }
        return Optional.empty();
      case "Namespace":
        if (o.path("status").path("phase").asText().isEmpty()) {
          o.withObject("/status").put("phase", "Active");
        }
        // The label every namespace carries (always its name), which namespaceSelectors use.
        o.withObject("/metadata/labels").put(NAME_LABEL, o.path("metadata").path("name").asText());
        return Optional.empty();
      case "Service":
        return service(w);
      default:
        return Optional.empty();
    }
  }

  /**
   * The apps/v1 defaults clients rely on ({@code kubectl rollout status} waits for {@code
   * spec.replicas} pods only when it is set): one replica, rolling updates of 25 % / 25 %, ten old
   * ReplicaSets kept, a 600 s progress deadline.
   */
  private static void workload(String kind, ObjectNode spec) {
    if (!kind.equals("Deployment") && !kind.equals("ReplicaSet")) {
      return;
    }
    if (!spec.hasNonNull("replicas")) {
      spec.put("replicas", 1);
    }
    if (!kind.equals("Deployment")) {
      return;
    }
    var strategy = spec.withObject("/strategy");
    if (strategy.path("type").asText("").isEmpty()) {
      strategy.put("type", "RollingUpdate");
    }
    if (strategy.path("type").asText().equals("RollingUpdate")) {
      var rolling = strategy.withObject("/rollingUpdate");
      if (!rolling.hasNonNull("maxUnavailable")) {
        rolling.put("maxUnavailable", "25%");
      }
      if (!rolling.hasNonNull("maxSurge")) {
        rolling.put("maxSurge", "25%");
      }
    }
    if (!spec.hasNonNull("revisionHistoryLimit")) {
      spec.put("revisionHistoryLimit", 10);
    }
    if (!spec.hasNonNull("progressDeadlineSeconds")) {
      spec.put("progressDeadlineSeconds", 600);
    }
  }

  private Optional<ApiResponse> service(Write w) {
    var spec = w.object().withObject("/spec");
    if (spec.path("type").asText().isEmpty()) {
      spec.put("type", "ClusterIP");
    }
    if (spec.path("sessionAffinity").asText().isEmpty()) {
      spec.put("sessionAffinity", "None");
    }
    for (JsonNode port : spec.path("ports")) {
      if (port instanceof ObjectNode p) {
        if (!p.has("protocol")) {
          p.put("protocol", "TCP");
        }
        if (!p.has("targetPort") && p.has("port")) {
          p.set("targetPort", p.get("port"));
        }
      }
    }
    var errors =
        w.operation() == Operation.UPDATE
            ? ips.keep(spec, w.old())
            : ips.allocate(spec, w.dryRun());
    if (errors.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        CrdSchemas.invalid(w.type(), w.object().path("metadata").path("name").asText(), errors));
  }

  /** Frees a deleted Service's addresses. */
  void released(JsonNode service) {
    ips.released(service);
  }
}
