package io.multihome.lab.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What the API server fills in on built-in kinds before anyone else sees them: a new pod is
 * Pending; a Service gets a cluster IP from the lab's service range (198.18.240.0/22 by default)
 * unless it is headless ({@code clusterIP: None}) or asks for a free address of the range; a
 * Namespace is Active and labelled {@value #NAME_LABEL} with its name; Deployments and ReplicaSets
 * get apps/v1's defaults (replicas, strategy, history limit, progress deadline).
 */
final class BuiltinDefaults implements Admission {
  static final String NAME_LABEL = "kubernetes.io/metadata.name";

  private final int base;
  private final int size;
  private final Set<Integer> used = new HashSet<>();
  private final java.util.function.Supplier<Iterable<ObjectNode>> services;

  /**
   * @param serviceRange an IPv4 CIDR, e.g. {@code 198.18.240.0/22}
   * @param services the stored Services (to learn what is taken after a restart of the server)
   */
  BuiltinDefaults(String serviceRange, java.util.function.Supplier<Iterable<ObjectNode>> services) {
    String[] cidr = serviceRange.split("/");
    this.base = toInt(cidr[0]);
    this.size = 1 << (32 - Integer.parseInt(cidr[1]));
    this.services = services;
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
    if (w.operation() == Operation.UPDATE) {
      String old = w.old() == null ? "" : w.old().path("spec").path("clusterIP").asText();
      String asked = spec.path("clusterIP").asText();
      if (asked.isEmpty() && !old.isEmpty()) {
        spec.put("clusterIP", old);
        spec.putArray("clusterIPs").add(old);
      } else if (!asked.equals(old)) {
        return Optional.of(immutable(w, asked));
      }
      return Optional.empty();
    }
    String asked = spec.path("clusterIP").asText();
    if (asked.equals("None")) {
      spec.putArray("clusterIPs").add("None");
      return Optional.empty();
    }
    synchronized (this) {
      learnUsed();
      int offset;
      if (asked.isEmpty()) {
        offset = -1;
        // .0 is the network; the rest of the range is handed out in order.
        for (int i = 1; i < size - 1; i++) {
          if (!used.contains(i)) {
            offset = i;
            break;
          }
        }
        if (offset < 0) {
          return Optional.of(
              ApiResponse.status(500, "InternalError", "the lab's service range is full"));
        }
      } else {
        offset = toInt(asked) - base;
        if (offset <= 0 || offset >= size - 1) {
          return Optional.of(invalidIp(w, asked, "provided IP is not in the valid range"));
        }
        if (used.contains(offset)) {
          return Optional.of(invalidIp(w, asked, "provided IP is already allocated"));
        }
      }
      if (!w.dryRun()) {
        used.add(offset);
      }
      String ip = toAddress(base + offset);
      spec.put("clusterIP", ip);
      spec.putArray("clusterIPs").add(ip);
    }
    return Optional.empty();
  }

  /** Frees a deleted Service's address. */
  synchronized void released(JsonNode service) {
    String ip = service.path("spec").path("clusterIP").asText();
    if (!ip.isEmpty() && !ip.equals("None")) {
      used.remove(toInt(ip) - base);
    }
  }

  private void learnUsed() {
    for (var s : services.get()) {
      String ip = s.path("spec").path("clusterIP").asText();
      if (!ip.isEmpty() && !ip.equals("None") && ip.contains(".")) {
        int off = toInt(ip) - base;
        if (off > 0 && off < size) {
          used.add(off);
        }
      }
    }
  }

  private static ApiResponse invalidIp(Write w, String ip, String why) {
    return CrdSchemas.invalid(
        w.type(),
        w.object().path("metadata").path("name").asText(),
        java.util.List.of(
            new CrdSchemas.FieldError(
                "spec.clusterIPs",
                "FieldValueInvalid",
                "Invalid value: [\"" + ip + "\"]: failed to allocate IP " + ip + ": " + why)));
  }

  private static ApiResponse immutable(Write w, String ip) {
    return CrdSchemas.invalid(
        w.type(),
        w.object().path("metadata").path("name").asText(),
        java.util.List.of(
            new CrdSchemas.FieldError(
                "spec.clusterIPs[0]",
                "FieldValueInvalid",
                "Invalid value: \"" + ip + "\": may not change once set")));
  }

  static int toInt(String ipv4) {
    String[] p = ipv4.split("\\.");
    int v = 0;
    for (String b : p) {
      v = (v << 8) | Integer.parseInt(b);
    }
    return v;
  }

  static String toAddress(int v) {
    return ((v >>> 24) & 255)
        + "."
        + ((v >>> 16) & 255)
        + "."
        + ((v >>> 8) & 255)
        + "."
        + (v & 255);
  }
}
