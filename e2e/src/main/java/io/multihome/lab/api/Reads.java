package io.multihome.lab.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * Gets and lists: objects from the store in the client's version, lists filtered by label and field
 * selectors and sorted by namespace and name (as etcd returns them), and a Table instead of JSON
 * when the client asks for one ({@code kubectl get}). Protobuf-only clients get 406.
 */
final class Reads {
  private final ApiContext ctx;

  Reads(ApiContext ctx) {
    this.ctx = ctx;
  }

  /** What to answer in: JSON, a Table, or nothing the lab speaks (406). */
  enum Format {
    JSON,
    TABLE,
    NOT_ACCEPTABLE
  }

  static Format format(ApiRequest req) {
    for (var a : req.accepts()) {
      if (a.table()) {
        return Format.TABLE;
      }
      if (a.json() && !a.params().containsKey("as")) {
        return Format.JSON;
      }
    }
    return Format.NOT_ACCEPTABLE;
  }

  static ApiResponse notAcceptable() {
    return ApiResponse.status(
        406,
        "NotAcceptable",
        "only the following media types are accepted: application/json,"
            + " application/json;as=Table;v=v1;g=meta.k8s.io");
  }

  ApiResponse get(ApiRequest req, ResourcePath rp, ResourceType type) {
    var format = format(req);
    if (format == Format.NOT_ACCEPTABLE) {
      return notAcceptable();
    }
    var o = ctx.find(type, rp.namespace(), rp.name());
    if (o == null) {
      return ApiResponse.notFound(type.plural(), type.group(), rp.name());
    }
    ApiContext.asVersion(o, type, rp.version());
    if (format == Format.TABLE) {
      return ApiResponse.json(
          200,
          Tables.table(
              type,
              rp.version(),
              List.of(o),
              req.param("includeObject"),
              true,
              o.path("metadata").path("resourceVersion").asText(),
              Instant.now()));
    }
    return ApiResponse.json(200, o);
  }

  ApiResponse list(ApiRequest req, ResourcePath rp, ResourceType type) {
    var format = format(req);
    if (format == Format.NOT_ACCEPTABLE) {
      return notAcceptable();
    }
    java.util.function.Predicate<com.fasterxml.jackson.databind.JsonNode> selector;
    try {
      selector = Selectors.of(req.param("labelSelector"), req.param("fieldSelector"));
    } catch (IllegalArgumentException e) {
      return ApiResponse.status(400, "BadRequest", e.getMessage());
    }
    String rv;
    List<ObjectNode> items;
    // Read under the lock so the list is exactly the state at its resourceVersion.
    ctx.lock().readLock().lock();
    try {
      rv = String.valueOf(ctx.store().currentResourceVersion());
      items = ctx.list(type, rp.namespace()).stream().filter(selector).toList();
    } finally {
      ctx.lock().readLock().unlock();
    }
    items.forEach(o -> ApiContext.asVersion(o, type, rp.version()));
    if (format == Format.TABLE) {
      return ApiResponse.json(
          200,
          Tables.table(
              type, rp.version(), items, req.param("includeObject"), true, rv, Instant.now()));
    }
    var list =
        ApiContext.JSON
            .createObjectNode()
            .put("apiVersion", type.apiVersion(rp.version()))
            .put("kind", type.kind() + "List");
    list.putObject("metadata").put("resourceVersion", rv);
    var arr = list.putArray("items");
    items.forEach(arr::add);
    return ApiResponse.json(200, list);
  }
}
