package io.multihome.lab.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.lab.api.Tables.CellFunction;
import io.multihome.lab.api.Tables.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The columns kubectl prints for built-in kinds (Kubernetes' own printers): pods, nodes, events,
 * namespaces, services, deployments, replica sets, config maps, endpoint slices, leases, webhook
 * configurations. Priority-1 columns show with {@code -o wide}.
 */
final class BuiltinColumns {
  private static final String NONE = "<none>";

  private BuiltinColumns() {}

  /** Kinds whose printer has no leading Name column. */
  static boolean nameLast(String group, String kind) {
    return group.isEmpty() && kind.equals("Event");
  }

  /** Columns after Name (all columns for {@link #nameLast} kinds), or null without a printer. */
  static List<Column> forKind(String group, String kind) {
    return switch (group + "/" + kind) {
      case "/Pod" -> pod();
      case "/Node" -> node();
      case "/Namespace" -> List.of(col("Status", o -> text(o, "status", "phase")), age());
      case "/Event" -> event();
      case "/Service" -> service();
      case "/ConfigMap" ->
          List.of(col("Data", o -> o.path("data").size() + o.path("binaryData").size()), age());
      case "/Secret" ->
          List.of(
              col("Type", o -> text(o, "type")), col("Data", o -> o.path("data").size()), age());
      case "/Endpoints" -> List.of(col("Endpoints", BuiltinColumns::endpoints), age());
      case "apps/Deployment" -> deployment();
      case "apps/ReplicaSet" -> replicaSet();
      case "discovery.k8s.io/EndpointSlice" -> endpointSlice();
      case "coordination.k8s.io/Lease" ->
          List.of(col("Holder", o -> text(o, "spec", "holderIdentity")), age());
      case "admissionregistration.k8s.io/MutatingWebhookConfiguration",
          "admissionregistration.k8s.io/ValidatingWebhookConfiguration" ->
          List.of(col("Webhooks", o -> o.path("webhooks").size()), age());
      default -> null;
    };
  }

  private static Column col(String name, java.util.function.Function<JsonNode, Object> f) {
    return new Column(name, "string", "", 0, "", (o, now) -> f.apply(o));
  }

  private static Column wide(String name, java.util.function.Function<JsonNode, Object> f) {
    return new Column(name, "string", "", 1, "", (o, now) -> f.apply(o));
  }

  private static Column timed(String name, int priority, CellFunction f) {
    return new Column(name, "string", "", priority, "", f);
  }

  private static Column age() {
    return timed("Age", 0, (o, now) -> Ages.since(Tables.creation(o), now));
  }

  static String text(JsonNode o, String... path) {
    JsonNode n = o;
    for (String p : path) {
      n = n.path(p);
    }
    return n.isValueNode() ? n.asText() : "";
  }

  private static String orNone(String s) {
    return s == null || s.isEmpty() ? NONE : s;
  }

  private static List<Column> pod() {
    return List.of(
        col(
            "Ready",
            o -> {
              int ready = 0;
              for (var cs : o.path("status").path("containerStatuses")) {
                ready += cs.path("ready").asBoolean() ? 1 : 0;
              }
              return ready + "/" + o.path("spec").path("containers").size();
            }),
        col("Status", BuiltinColumns::podStatus),
        col(
            "Restarts",
            o -> {
              long restarts = 0;
              for (var cs : o.path("status").path("containerStatuses")) {
                restarts += cs.path("restartCount").asLong();
              }
              return String.valueOf(restarts);
            }),
        age(),
        wide("IP", o -> orNone(text(o, "status", "podIP"))),
        wide("Node", o -> orNone(text(o, "spec", "nodeName"))),
        wide("Nominated Node", o -> orNone(text(o, "status", "nominatedNodeName"))),
        wide("Readiness Gates", o -> o.path("spec").path("readinessGates").isEmpty() ? NONE : ""));
  }

  /** As kubectl: the pod's reason, else a container's waiting/terminated reason, else phase. */
  static String podStatus(JsonNode o) {
    String reason = text(o, "status", "phase");
    if (!text(o, "status", "reason").isEmpty()) {
      reason = text(o, "status", "reason");
    }
    for (var cs : o.path("status").path("containerStatuses")) {
      var state = cs.path("state");
      if (!text(state, "waiting", "reason").isEmpty()) {
        reason = text(state, "waiting", "reason");
      } else if (!text(state, "terminated", "reason").isEmpty()) {
        reason = text(state, "terminated", "reason");
      }
    }
    if (!text(o, "metadata", "deletionTimestamp").isEmpty()) {
      reason = "Terminating";
    }
    return reason.isEmpty() ? "Pending" : reason;
  }

  private static List<Column> node() {
    return List.of(
        col(
            "Status",
            o -> {
              String status = "Unknown";
              for (var c : o.path("status").path("conditions")) {
                if ("Ready".equals(c.path("type").asText())) {
                  status = "True".equals(c.path("status").asText()) ? "Ready" : "NotReady";
                }
              }
              return o.path("spec").path("unschedulable").asBoolean()
                  ? status + ",SchedulingDisabled"
                  : status;
            }),
        col(
            "Roles",
            o -> {
              var roles = new ArrayList<String>();
              o.path("metadata")
                  .path("labels")
                  .fieldNames()
                  .forEachRemaining(
                      k -> {
                        if (k.startsWith("node-role.kubernetes.io/")) {
                          roles.add(k.substring("node-role.kubernetes.io/".length()));
                        }
                      });
              roles.sort(null);
              return roles.isEmpty() ? NONE : String.join(",", roles);
            }),
        age(),
        col("Version", o -> text(o, "status", "nodeInfo", "kubeletVersion")),
        wide("Internal-IP", o -> orNone(address(o, "InternalIP"))),
        wide("External-IP", o -> orNone(address(o, "ExternalIP"))),
        wide("OS-Image", o -> orNone(text(o, "status", "nodeInfo", "osImage"))),
        wide("Kernel-Version", o -> orNone(text(o, "status", "nodeInfo", "kernelVersion"))),
        wide(
            "Container-Runtime",
            o -> orNone(text(o, "status", "nodeInfo", "containerRuntimeVersion"))));
  }

  private static String address(JsonNode node, String type) {
    for (var a : node.path("status").path("addresses")) {
      if (type.equals(a.path("type").asText())) {
        return a.path("address").asText();
      }
    }
    return "";
  }

  private static List<Column> event() {
    return List.of(
        timed("Last Seen", 0, (o, now) -> Ages.since(eventLast(o), now)),
        col("Type", o -> text(o, "type")),
        col("Reason", o -> text(o, "reason")),
        col(
            "Object",
            o ->
                text(o, "involvedObject", "kind").toLowerCase(java.util.Locale.ROOT)
                    + "/"
                    + text(o, "involvedObject", "name")),
        wide("Subobject", o -> text(o, "involvedObject", "fieldPath")),
        wide(
            "Source",
            o -> {
              String c = text(o, "source", "component");
              String h = text(o, "source", "host");
              return h.isEmpty() ? c : c + ", " + h;
            }),
        col("Message", o -> text(o, "message").strip()),
        timed(
            "First Seen",
            1,
            (o, now) ->
                Ages.since(
                    text(o, "firstTimestamp").isEmpty() ? eventLast(o) : text(o, "firstTimestamp"),
                    now)),
        wide("Count", o -> o.path("count").asLong(1)),
        new Column("Name", "string", "name", 1, "", (o, now) -> text(o, "metadata", "name")));
  }

  private static String eventLast(JsonNode o) {
    for (String f : List.of("lastTimestamp", "eventTime", "firstTimestamp")) {
      if (!text(o, f).isEmpty()) {
        return text(o, f);
      }
    }
    return Tables.creation(o);
  }

  private static List<Column> service() {
    return List.of(
        col("Type", o -> text(o, "spec", "type").isEmpty() ? "ClusterIP" : text(o, "spec", "type")),
        col("Cluster-IP", o -> orNone(text(o, "spec", "clusterIP"))),
        col(
            "External-IP",
            o -> {
              var ips = new ArrayList<String>();
              o.path("spec").path("externalIPs").forEach(i -> ips.add(i.asText()));
              return ips.isEmpty() ? NONE : String.join(",", ips);
            }),
        col(
            "Port(s)",
            o -> {
              var ports = new ArrayList<String>();
              for (var p : o.path("spec").path("ports")) {
                String proto = p.path("protocol").asText("TCP");
                ports.add(
                    p.path("port").asText()
                        + (p.has("nodePort") ? ":" + p.path("nodePort").asText() : "")
                        + "/"
                        + proto);
              }
              return ports.isEmpty() ? NONE : String.join(",", ports);
            }),
        age(),
        wide("Selector", o -> selector(o.path("spec").path("selector"))));
  }

  private static String selector(JsonNode labels) {
    var sorted = new TreeMap<String, String>();
    labels.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
    if (sorted.isEmpty()) {
      return NONE;
    }
    var parts = new ArrayList<String>();
    sorted.forEach((k, v) -> parts.add(k + "=" + v));
    return String.join(",", parts);
  }

  private static List<Column> deployment() {
    return List.of(
        col(
            "Ready",
            o ->
                o.path("status").path("readyReplicas").asLong()
                    + "/"
                    + o.path("spec").path("replicas").asLong(1)),
        col("Up-to-date", o -> o.path("status").path("updatedReplicas").asLong()),
        col("Available", o -> o.path("status").path("availableReplicas").asLong()),
        age(),
        wide("Containers", o -> containers(o, "name")),
        wide("Images", o -> containers(o, "image")),
        wide("Selector", o -> selector(o.path("spec").path("selector").path("matchLabels"))));
  }

  private static List<Column> replicaSet() {
    return List.of(
        col("Desired", o -> o.path("spec").path("replicas").asLong(1)),
        col("Current", o -> o.path("status").path("replicas").asLong()),
        col("Ready", o -> o.path("status").path("readyReplicas").asLong()),
        age(),
        wide("Containers", o -> containers(o, "name")),
        wide("Images", o -> containers(o, "image")),
        wide("Selector", o -> selector(o.path("spec").path("selector").path("matchLabels"))));
  }

  private static String containers(JsonNode o, String field) {
    var out = new ArrayList<String>();
    for (var c : o.path("spec").path("template").path("spec").path("containers")) {
      out.add(c.path(field).asText());
    }
    return String.join(",", out);
  }

  private static List<Column> endpointSlice() {
    return List.of(
        col("AddressType", o -> text(o, "addressType")),
        col(
            "Ports",
            o -> {
              var ports = new ArrayList<String>();
              o.path("ports").forEach(p -> ports.add(p.path("port").asText()));
              return ports.isEmpty() ? NONE : String.join(",", ports);
            }),
        col(
            "Endpoints",
            o -> {
              var addresses = new ArrayList<String>();
              for (var e : o.path("endpoints")) {
                e.path("addresses").forEach(a -> addresses.add(a.asText()));
              }
              return addresses.isEmpty() ? NONE : abbreviate(addresses);
            }),
        age());
  }

  private static Object endpoints(JsonNode o) {
    var out = new ArrayList<String>();
    for (var subset : o.path("subsets")) {
      for (var a : subset.path("addresses")) {
        for (var p : subset.path("ports")) {
          out.add(a.path("ip").asText() + ":" + p.path("port").asText());
        }
      }
    }
    return out.isEmpty() ? NONE : abbreviate(out);
  }

  /** kubectl lists three and counts the rest: {@code a,b,c + 2 more...}. */
  private static String abbreviate(List<String> items) {
    if (items.size() <= 3) {
      return String.join(",", items);
    }
    return String.join(",", items.subList(0, 3)) + " + " + (items.size() - 3) + " more...";
  }
}
