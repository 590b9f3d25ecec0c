package io.multihome.lab.api;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Routes one request: discovery, OpenAPI, health, then resources — reads, writes, namespaces,
 * watches (streamed) and pods/log (streamed from {@link PodLogs}).
 */
final class Router {
  private final ApiContext ctx;
  private final Reads reads;
  private final Writes writes;
  private final Namespaces namespaces;
  private final Watches watches;
  private final Discovery discovery;
  private final OpenApi openApi;
  private final Scales scales;

  Router(
      ApiContext ctx,
      Reads reads,
      Writes writes,
      Namespaces namespaces,
      Watches watches,
      Discovery discovery,
      OpenApi openApi) {
    this.ctx = ctx;
    this.reads = reads;
    this.writes = writes;
    this.namespaces = namespaces;
    this.watches = watches;
    this.discovery = discovery;
    this.openApi = openApi;
    this.scales = new Scales(ctx, writes);
  }

  static void send(HttpServerResponse out, ApiResponse r) {
    out.setStatusCode(r.code()).putHeader("Content-Type", r.contentType());
    for (String w : r.warnings()) {
      out.headers().add("Warning", "299 - \"" + w.replace("\"", "\\\"") + "\"");
    }
    out.end(LabApiServer.buffer(r.body()));
  }

  void http(ApiRequest req, HttpServerResponse out) {
    var rp = ResourcePath.parse(req.path());
    if (rp != null && req.method().equals("GET") && req.flag("watch")) {
      var type = type(rp, req);
      var format = Reads.format(req);
      if (format == Reads.Format.NOT_ACCEPTABLE) {
        send(out, Reads.notAcceptable());
        return;
      }
      out.setStatusCode(200).setChunked(true).putHeader("Content-Type", "application/json");
      out.write("");
      watches.start(req, rp, type, format == Reads.Format.TABLE, httpSink(out));
      return;
    }
    if (rp != null && req.method().equals("GET") && "log".equals(rp.subresource())) {
      logs(req, rp, out);
      return;
    }
    send(out, route(req));
  }

  void webSocket(ApiRequest req, ServerWebSocket ws) {
    var rp = ResourcePath.parse(req.path());
    if (rp == null || !req.flag("watch")) {
      ws.close((short) 1003, "only watches are served over WebSocket");
      return;
    }
    watches.start(
        req,
        rp,
        type(rp, req),
        false,
        new Watches.Sink() {
          @Override
          public void send(String json) {
            if (!ws.isClosed()) {
              ws.writeTextMessage(json);
            }
          }

          @Override
          public void end() {
            if (!ws.isClosed()) {
              ws.close();
            }
          }

          @Override
          public void onClose(Runnable r) {
            ws.closeHandler(v -> r.run());
            if (ws.isClosed()) {
              r.run();
            }
          }
        });
  }

  private static Watches.Sink httpSink(HttpServerResponse out) {
    return new Watches.Sink() {
      @Override
      public void send(String json) {
        if (!out.ended() && !out.closed()) {
          out.write(json + "\n");
        }
      }

      @Override
      public void end() {
        if (!out.ended() && !out.closed()) {
          out.end();
        }
      }

      @Override
      public void onClose(Runnable r) {
        out.closeHandler(v -> r.run());
        if (out.closed()) {
          r.run();
        }
      }
    };
  }

  /** Everything that is answered with one response. */
  ApiResponse route(ApiRequest req) {
    String path = req.path();
    if (req.method().equals("GET")) {
      if (path.startsWith("/openapi/")) {
        if (!acceptsJson(req)) {
          return Reads.notAcceptable();
        }
        return openApi
            .document(path)
            .map(d -> ApiResponse.json(200, d))
            .orElseGet(
                () ->
                    ApiResponse.status(
                        404, "NotFound", "the server could not find the requested resource"));
      }
      var doc = discovery.document(path);
      if (doc.isPresent()) {
        return ApiResponse.json(200, doc.get());
      }
      if (List.of("/healthz", "/readyz", "/livez").contains(path)) {
        return ApiResponse.text(200, "ok");
      }
    }
    var rp = ResourcePath.parse(path);
    if (rp == null || rp.plural() == null) {
      return ApiResponse.status(
          404, "NotFound", "the server could not find the requested resource");
    }
    var type = type(rp, req);
    if (rp.name() == null) {
      return switch (req.method()) {
        case "GET" -> reads.list(req, rp, type);
        case "POST" ->
            rp.plural().equals("bindings")
                ? Bindings.bind(ctx, req, rp)
                : writes.create(req, rp, type);
        case "DELETE" -> deleteCollection(req, rp, type);
        default -> methodNotAllowed(req);
      };
    }
    if ("binding".equals(rp.subresource()) && req.method().equals("POST")) {
      return Bindings.bind(ctx, req, rp);
    }
    if ("scale".equals(rp.subresource())) {
      return scales.route(req, rp, type);
    }
    return switch (req.method()) {
      case "GET" -> reads.get(req, rp, type);
      case "PUT" -> writes.update(req, rp, type);
      case "PATCH" -> writes.patch(req, rp, type);
      case "DELETE" -> delete(req, rp, type);
      default -> methodNotAllowed(req);
    };
  }

  private static boolean acceptsJson(ApiRequest req) {
    return req.accepts().stream().anyMatch(ApiRequest.Accept::json);
  }

  private static ApiResponse methodNotAllowed(ApiRequest req) {
    return ApiResponse.status(
        405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
  }

  /** The registered type, or one made up from the path for kinds nobody registered. */
  ResourceType type(ResourcePath rp, ApiRequest req) {
    return ctx.registry()
        .find(rp.group(), rp.plural())
        .orElseGet(
            () ->
                new ResourceType(
                    rp.group(),
                    List.of(rp.version()),
                    rp.plural(),
                    kindOf(req, rp),
                    rp.namespace() != null,
                    List.of(),
                    List.of("status"),
                    java.util.Map.of(),
                    java.util.Map.of()));
  }

  private static String kindOf(ApiRequest req, ResourcePath rp) {
    try {
      var n = ApiContext.JSON.readTree(req.body());
      if (n != null && n.has("kind")) {
        return n.get("kind").asText();
      }
    } catch (IOException e) {
      // not JSON: the plural stands in
    }
    return rp.plural();
  }

  private ApiResponse delete(ApiRequest req, ResourcePath rp, ResourceType type) {
    if (rp.isNamespaceObject() && rp.subresource() == null) {
      return namespaces.delete(rp.name());
    }
    var existing = ctx.find(type, rp.namespace(), rp.name());
    if (existing == null) {
      return ApiResponse.notFound(type.plural(), type.group(), rp.name());
    }
    String version = existing.path("apiVersion").asText().replaceAll(".*/", "");
    var r = ctx.write("DELETE", type.objectPath(version, rp.namespace(), rp.name()), null, null);
    if (r.code() == 404) {
      return ApiResponse.notFound(type.plural(), type.group(), rp.name());
    }
    var after = ctx.find(type, rp.namespace(), rp.name());
    return ApiResponse.json(
        200, ApiContext.asVersion(after != null ? after : existing, type, rp.version()));
  }

  private ApiResponse deleteCollection(ApiRequest req, ResourcePath rp, ResourceType type) {
    var selector = Selectors.of(req.param("labelSelector"), req.param("fieldSelector"));
    var list =
        ApiContext.JSON
            .createObjectNode()
            .put("apiVersion", type.apiVersion(rp.version()))
            .put("kind", type.kind() + "List");
    list.putObject("metadata");
    var items = list.putArray("items");
    for (var o : ctx.list(type, rp.namespace())) {
      if (selector.test(o)) {
        String ns = o.path("metadata").path("namespace").asText(null);
        ctx.write(
            "DELETE",
            type.objectPath(type.preferredVersion(), ns, o.path("metadata").path("name").asText()),
            null,
            null);
        items.add(ApiContext.asVersion(o, type, rp.version()));
      }
    }
    return ApiResponse.json(200, list);
  }

  /** pods/log: the pod and container checked here, the bytes from the lab's kubelet. */
  private void logs(ApiRequest req, ResourcePath rp, HttpServerResponse out) {
    var pod = ctx.store().get("/api/v1/namespaces/" + rp.namespace() + "/pods/" + rp.name());
    if (pod == null) {
      send(out, ApiResponse.notFound("pods", "", rp.name()));
      return;
    }
    var containers = new java.util.ArrayList<String>();
    pod.path("spec").path("containers").forEach(c -> containers.add(c.path("name").asText()));
    var initContainers = new java.util.ArrayList<String>();
    pod.path("spec")
        .path("initContainers")
        .forEach(c -> initContainers.add(c.path("name").asText()));
    String container = req.param("container");
    if (container == null || container.isEmpty()) {
      if (containers.size() != 1) {
        // As the API server says it (Go's names joined by spaces).
        String why = "a container name must be specified for pod " + rp.name();
        if (!containers.isEmpty()) {
          why += ", choose one of: [" + String.join(" ", containers) + "]";
          if (!initContainers.isEmpty()) {
            why += " or one of the init containers: [" + String.join(" ", initContainers) + "]";
          }
        }
        send(out, ApiResponse.status(400, "BadRequest", why));
        return;
      }
      container = containers.get(0);
    } else if (!containers.contains(container) && !initContainers.contains(container)) {
      send(
          out,
          ApiResponse.status(
              400, "BadRequest", "container " + container + " is not valid for pod " + rp.name()));
      return;
    }
    var backend = ctx.podLogs().get();
    var options =
        new PodLogs.Options(
            container,
            req.flag("follow"),
            req.param("tailLines") == null ? null : Integer.valueOf(req.param("tailLines")),
            req.flag("timestamps"),
            req.flag("previous"),
            req.param("limitBytes") == null ? null : Long.valueOf(req.param("limitBytes")));
    InputStream in;
    try {
      in = backend == null ? null : backend.open(rp.namespace(), rp.name(), options);
    } catch (PodLogs.Unavailable e) {
      send(out, ApiResponse.status(400, "BadRequest", e.getMessage()));
      return;
    } catch (IOException e) {
      send(out, ApiResponse.status(500, "InternalError", "reading the log: " + e.getMessage()));
      return;
    }
    if (in == null) {
      send(
          out,
          ApiResponse.status(
              400,
              "BadRequest",
              "container \""
                  + container
                  + "\" in pod \""
                  + rp.name()
                  + "\" is waiting to start: ContainerCreating"));
      return;
    }
    out.setStatusCode(200).setChunked(true).putHeader("Content-Type", "text/plain");
    try (in) {
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) >= 0 && !out.closed()) {
        if (n > 0) {
          out.write(LabApiServer.buffer(java.util.Arrays.copyOf(buf, n)));
        }
      }
    } catch (IOException e) {
      // the client went away or the log ended abnormally: end what was sent
    }
    if (!out.ended() && !out.closed()) {
      out.end();
    }
  }
}
