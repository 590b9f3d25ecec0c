package io.multihome.lab.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Pod binding, the scheduler's write: {@code POST pods/<name>/binding} or {@code POST bindings}
 * sets {@code spec.nodeName} of a pod that has none (409 when it is bound already), copies the
 * binding's annotations and marks the pod {@code PodScheduled=True}, as the API server's binding
 * storage does. It is the only way to set the node of an existing pod ({@link PodUpdates}).
 */
final class Bindings {
  private Bindings() {}

  static ApiResponse bind(ApiContext ctx, ApiRequest req, ResourcePath rp) {
    JsonNode binding;
    try {
      binding = ApiContext.JSON.readTree(req.body());
    } catch (IOException e) {
      return ApiResponse.status(400, "BadRequest", "invalid Binding: " + e.getMessage());
    }
    String pod = rp.name() != null ? rp.name() : binding.path("metadata").path("name").asText();
    String node = binding.path("target").path("name").asText();
    if (node.isEmpty()) {
      return ApiResponse.status(
          422, "Invalid", "Binding \"" + pod + "\" is invalid: target.name: Required value");
    }
    String path = "/api/v1/namespaces/" + rp.namespace() + "/pods/" + pod;
    ctx.lock().writeLock().lock();
    try {
      var current = ctx.store().get(path);
      if (current == null) {
        return ApiResponse.notFound("pods", "", pod);
      }
      if (current.path("metadata").has("deletionTimestamp")) {
        return ApiResponse.status(
            409,
            "Conflict",
            "Operation cannot be fulfilled on pods/binding \""
                + pod
                + "\": pod "
                + pod
                + " is being deleted, cannot be assigned to a host");
      }
      String uid = binding.path("metadata").path("uid").asText("");
      String actual = current.path("metadata").path("uid").asText("");
      if (!uid.isEmpty() && !uid.equals(actual)) {
        return ApiResponse.status(
            409,
            "Conflict",
            "Operation cannot be fulfilled on pods/binding \""
                + pod
                + "\": Precondition failed: UID in precondition: "
                + uid
                + ", UID in object meta: "
                + actual);
      }
      String bound = current.path("spec").path("nodeName").asText("");
      if (!bound.isEmpty()) {
        return ApiResponse.status(
            409,
            "Conflict",
            "Operation cannot be fulfilled on pods/binding \""
                + pod
                + "\": pod "
                + pod
                + " is already assigned to node \""
                + bound
                + "\"");
      }
      current.withObject("/spec").put("nodeName", node);
      binding
          .path("metadata")
          .path("annotations")
          .fields()
          .forEachRemaining(
              e -> current.withObject("/metadata/annotations").set(e.getKey(), e.getValue()));
      scheduled(current);
      var r = ctx.store().call("PUT", path, "application/json", current.toString());
      if (r.code() >= 300) {
        return ApiResponse.json(r.code(), LabStore.text(r));
      }
    } finally {
      ctx.lock().writeLock().unlock();
    }
    var ok = ApiContext.JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
    ok.putObject("metadata");
    ok.put("status", "Success").put("code", 201);
    return ApiResponse.json(201, ok);
  }

  /** {@code PodScheduled=True}, its transition time kept when it was True already. */
  private static void scheduled(ObjectNode pod) {
    var conditions = pod.withObject("/status").withArray("conditions");
    int at = conditions.size();
    for (int i = 0; i < conditions.size(); i++) {
      var c = conditions.get(i);
      if ("PodScheduled".equals(c.path("type").asText())) {
        if ("True".equals(c.path("status").asText())) {
          return;
        }
        at = i;
      }
    }
    var condition = ApiContext.JSON.createObjectNode();
    if (at < conditions.size()) {
      conditions.set(at, condition);
    } else {
      conditions.add(condition);
    }
    condition
        .put("type", "PodScheduled")
        .put("status", "True")
        .putNull("lastProbeTime")
        .put(
            "lastTransitionTime",
            java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
  }
}
