package io.multihome.lab.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code scale} subresource of Deployments and ReplicaSets ({@code kubectl scale}, {@code
 * kubectl rollout}): reads answer an {@code autoscaling/v1 Scale} made from the object; a Scale
 * written with PUT, or a patch applied to the Scale, changes only the object's {@code
 * spec.replicas}, committed as an update of the object (admission, conflicts on the Scale's
 * resourceVersion) as the API server's scale REST storage does.
 */
final class Scales {
  private static final Set<String> SCALED = Set.of("apps/deployments", "apps/replicasets");

  private final ApiContext ctx;
  private final Writes writes;

  Scales(ApiContext ctx, Writes writes) {
    this.ctx = ctx;
    this.writes = writes;
  }

  /** Whether {@code type} has a scale subresource the lab serves. */
  static boolean scaled(ResourceType type) {
    return SCALED.contains(type.group() + "/" + type.plural());
  }

  ApiResponse route(ApiRequest req, ResourcePath rp, ResourceType type) {
    if (!scaled(type)) {
      return ApiResponse.status(
          404, "NotFound", "the server could not find the requested resource");
    }
    return switch (req.method()) {
      case "GET" -> get(rp, type);
      case "PUT" -> put(req, rp, type);
      case "PATCH" -> patch(req, rp, type);
      default ->
          ApiResponse.status(
              405,
              "MethodNotAllowed",
              "the server does not allow this method on the requested resource");
    };
  }

  private ApiResponse get(ResourcePath rp, ResourceType type) {
    var o = ctx.find(type, rp.namespace(), rp.name());
    if (o == null) {
      return ApiResponse.notFound(type.plural(), type.group(), rp.name());
    }
    return ApiResponse.json(200, scaleOf(o));
  }

  private ApiResponse put(ApiRequest req, ResourcePath rp, ResourceType type) {
    JsonNode scale;
    try {
      scale = ApiContext.JSON.readTree(req.body());
    } catch (IOException e) {
      return ApiResponse.status(400, "BadRequest", "invalid Scale: " + e.getMessage());
    }
    if (!(scale instanceof ObjectNode s)) {
      return ApiResponse.status(400, "BadRequest", "the body is not a JSON object");
    }
    var current = ctx.find(type, rp.namespace(), rp.name());
    if (current == null) {
      return ApiResponse.notFound(type.plural(), type.group(), rp.name());
    }
    String asked = s.path("metadata").path("resourceVersion").asText("");
    String now = current.path("metadata").path("resourceVersion").asText();
    if (!asked.isEmpty() && !asked.equals(now)) {
      return conflict(type, rp.name());
    }
    return commit(req, rp, type, current, s);
  }

  private ApiResponse patch(ApiRequest req, ResourcePath rp, ResourceType type) {
    return writes.patchStored(
        req,
        rp,
        type,
        "Scale",
        false,
        Scales::scaleOf,
        (current, scale) -> commit(req, rp, type, current, scale));
  }

  /** Sets {@code spec.replicas} of {@code current} from {@code scale} (conditional on its RV). */
  private ApiResponse commit(
      ApiRequest req, ResourcePath rp, ResourceType type, ObjectNode current, ObjectNode scale) {
    JsonNode replicas = scale.path("spec").path("replicas");
    if (!replicas.isMissingNode() && !replicas.canConvertToInt()) {
      return invalid(rp.name(), "spec.replicas", "Invalid value: " + replicas + ": not an integer");
    }
    int n = replicas.asInt(0);
    if (n < 0) {
      return invalid(
          rp.name(),
          "spec.replicas",
          "Invalid value: " + n + ": must be greater than or equal to 0");
    }
    var updated = current.deepCopy();
    updated.withObject("/spec").put("replicas", n);
    var r = writes.updateObject(req, rp.withSubresource(null), type, updated);
    if (!r.ok()) {
      return r;
    }
    var stored = LabStore.parse(r.bodyText());
    return ApiResponse.json(r.code(), scaleOf(stored)).withWarnings(r.warnings());
  }

  /** The Scale of a Deployment or ReplicaSet, as the API server computes it. */
  static ObjectNode scaleOf(JsonNode obj) {
    var scale = ApiContext.JSON.createObjectNode();
    scale.put("kind", "Scale").put("apiVersion", "autoscaling/v1");
    var meta = scale.putObject("metadata");
    for (var field : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
      if (obj.path("metadata").has(field)) {
        meta.set(field, obj.path("metadata").get(field));
      }
    }
    scale.putObject("spec").put("replicas", obj.path("spec").path("replicas").asInt(1));
    var status = scale.putObject("status");
    status.put("replicas", obj.path("status").path("replicas").asInt(0));
    status.put("selector", selector(obj.path("spec").path("selector")));
    return scale;
  }

  /**
   * A label selector as {@code labels.Selector.String()} prints it: requirements sorted by key,
   * {@code k=v}, {@code k in (a,b)}, {@code k notin (a,b)}, {@code k}, {@code !k}.
   */
  static String selector(JsonNode selector) {
    var parts = new TreeMap<String, List<String>>();
    selector
        .path("matchLabels")
        .fields()
        .forEachRemaining(
            e ->
                parts
                    .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                    .add(e.getKey() + "=" + e.getValue().asText()));
    for (JsonNode r : selector.path("matchExpressions")) {
      String key = r.path("key").asText();
      var values = new ArrayList<String>();
      r.path("values").forEach(v -> values.add(v.asText()));
      values.sort(null);
      String text =
          switch (r.path("operator").asText()) {
            case "In" -> key + " in (" + String.join(",", values) + ")";
            case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
            case "Exists" -> key;
            case "DoesNotExist" -> "!" + key;
            default -> key + " " + r.path("operator").asText();
          };
      parts.computeIfAbsent(key, k -> new ArrayList<>()).add(text);
    }
    var out = new ArrayList<String>();
    parts.values().forEach(out::addAll);
    return String.join(",", out);
  }

  private static ApiResponse conflict(ResourceType type, String name) {
    return ApiResponse.status(
        409,
        "Conflict",
        "Operation cannot be fulfilled on "
            + type.qualifiedName()
            + " \""
            + name
            + "\": the object has been modified; please apply your changes to the latest version"
            + " and try again");
  }

  private static ApiResponse invalid(String name, String field, String detail) {
    var scaleType =
        new ResourceType(
            "autoscaling",
            List.of("v1"),
            "scale",
            "Scale",
            true,
            List.of(),
            List.of(),
            java.util.Map.of(),
            java.util.Map.of());
    return CrdSchemas.invalid(
        scaleType, name, List.of(new CrdSchemas.FieldError(field, "FieldValueInvalid", detail)));
  }
}
