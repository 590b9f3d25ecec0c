package io.multihome.lab.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * Pod binding, the scheduler's write: {@code POST pods/<name>/binding} or {@code POST bindings}
 * sets {@code spec.nodeName} of a pod that has none (409 when it is bound already).
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
}
