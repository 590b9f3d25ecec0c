package io.multihome.lab.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Watches as the API server serves them, over a chunked HTTP response (kubectl, client-go) or a
 * WebSocket (fabric8): without a resourceVersion (or "0", or with {@code sendInitialEvents}) the
 * current objects as ADDED, then every change; from a resourceVersion exactly the changes after it,
 * or an ERROR event with 410 Expired when that is older than the kept history. {@code
 * allowWatchBookmarks} adds periodic BOOKMARK events; {@code timeoutSeconds} ends the watch.
 * Objects come as JSON or, for {@code kubectl get -w}, as one-row Tables.
 */
final class Watches {
  static final long BOOKMARK_SECONDS = 5;

  /** Where events go: one JSON document each; closed when the client goes or the watch ends. */
  interface Sink {
    void send(String json);

    void end();

    /** Runs {@code r} when the client disconnects. */
    void onClose(Runnable r);
  }

  private final ApiContext ctx;
  private final ScheduledExecutorService timers;

  Watches(ApiContext ctx, ScheduledExecutorService timers) {
    this.ctx = ctx;
    this.timers = timers;
  }

  /** Starts streaming to {@code sink}; the caller has answered 200 already. */
  void start(ApiRequest req, ResourcePath rp, ResourceType type, boolean table, Sink sink) {
    Predicate<JsonNode> selector =
        Selectors.of(req.param("labelSelector"), req.param("fieldSelector"));
    String name = rp.name();
    Predicate<WatchHub.Event> filter =
        e ->
            e.at() != null
                && e.at().group().equals(type.group())
                && e.at().plural().equals(type.plural())
                && (rp.namespace() == null
                    || rp.namespace()
                        .equals(e.object().path("metadata").path("namespace").asText()))
                && (name == null || name.equals(e.object().path("metadata").path("name").asText()))
                && selector.test(e.object());
    var encoder = new Encoder(type, rp.version(), table);
    String rv = req.param("resourceVersion");
    boolean initial =
        "true".equals(req.param("sendInitialEvents"))
            || rv == null
            || rv.isEmpty()
            || rv.equals("0");
    boolean bookmarks = req.flag("allowWatchBookmarks");
    WatchHub.Subscription subscription;
    if (initial) {
      ctx.lock().readLock().lock();
      try {
        for (var o : ctx.list(type, rp.namespace())) {
          var event = new WatchHub.Event(0, "ADDED", o, rp);
          if (filter.test(event)) {
            sink.send(encoder.encode("ADDED", o));
          }
        }
        if (bookmarks && "true".equals(req.param("sendInitialEvents"))) {
          sink.send(
              bookmark(type, rp.version(), ctx.store().currentResourceVersion(), true).toString());
        }
        subscription =
            ctx.hub().subscribeNow(filter, e -> sink.send(encoder.encode(e.type(), e.object())));
      } finally {
        ctx.lock().readLock().unlock();
      }
    } else {
      long from;
      try {
        from = Long.parseLong(rv);
      } catch (NumberFormatException e) {
        sink.send(error(400, "BadRequest", "invalid resourceVersion " + rv));
        sink.end();
        return;
      }
      try {
        subscription =
            ctx.hub().subscribe(from, filter, e -> sink.send(encoder.encode(e.type(), e.object())));
      } catch (WatchHub.GoneException e) {
        sink.send(error(410, "Expired", e.getMessage()));
        sink.end();
        return;
      }
    }
    var tasks = new java.util.ArrayList<java.util.concurrent.ScheduledFuture<?>>();
    Runnable stop =
        () -> {
          subscription.close();
          tasks.forEach(t -> t.cancel(false));
        };
    sink.onClose(stop);
    if (bookmarks) {
      tasks.add(
          timers.scheduleAtFixedRate(
              () ->
                  sink.send(
                      bookmark(type, rp.version(), ctx.hub().lastPublished(), false).toString()),
              BOOKMARK_SECONDS,
              BOOKMARK_SECONDS,
              TimeUnit.SECONDS));
    }
    long timeout = parseTimeout(req.param("timeoutSeconds"));
    tasks.add(
        timers.schedule(
            () -> {
              stop.run();
              sink.end();
            },
            timeout,
            TimeUnit.SECONDS));
  }

  private static long parseTimeout(String s) {
    try {
      long t = s == null ? 1800 : Long.parseLong(s);
      return t <= 0 ? 1800 : t;
    } catch (NumberFormatException e) {
      return 1800;
    }
  }

  private static ObjectNode bookmark(
      ResourceType type, String version, long rv, boolean initialEnd) {
    var object =
        ApiContext.JSON
            .createObjectNode()
            .put("kind", type.kind())
            .put("apiVersion", type.apiVersion(version));
    var meta = object.putObject("metadata").put("resourceVersion", String.valueOf(rv));
    if (initialEnd) {
      meta.putObject("annotations").put("k8s.io/initial-events-end", "true");
    }
    var event = ApiContext.JSON.createObjectNode().put("type", "BOOKMARK");
    event.set("object", object);
    return event;
  }

  private static String error(int code, String reason, String message) {
    var event = ApiContext.JSON.createObjectNode().put("type", "ERROR");
    event.set("object", ApiResponse.statusNode(code, reason, message));
    return event.toString();
  }

  /** Event encoding for one watch: JSON objects in the client's version, or Table rows. */
  private static final class Encoder {
    private final ResourceType type;
    private final String version;
    private final boolean table;
    private boolean headersSent;

    Encoder(ResourceType type, String version, boolean table) {
      this.type = type;
      this.version = version;
      this.table = table;
    }

    synchronized String encode(String eventType, ObjectNode stored) {
      var o = ApiContext.asVersion(stored.deepCopy(), type, version);
      JsonNode payload = o;
      if (table) {
        // Column definitions once: kubectl reuses the last ones for rows without them.
        payload =
            Tables.table(
                type,
                version,
                List.of(o),
                null,
                !headersSent,
                o.path("metadata").path("resourceVersion").asText(),
                Instant.now());
        headersSent = true;
      }
      var event = ApiContext.JSON.createObjectNode().put("type", eventType);
      event.set("object", payload);
      return event.toString();
    }
  }
}
