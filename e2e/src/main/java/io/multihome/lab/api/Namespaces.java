package io.multihome.lab.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Namespace lifecycle as the API server and its namespace controller run it: objects are created
 * only in an existing, active namespace; deleting a namespace marks it Terminating, deletes every
 * namespaced object in it (objects with finalizers stay until their finalizers are removed) and
 * removes the namespace once it is empty.
 */
final class Namespaces implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Namespaces.class);
  private static final String NAMESPACES = "/api/v1/namespaces";

  private final ApiContext ctx;
  private final ExecutorService cleaner =
      Executors.newSingleThreadExecutor(
          r -> {
            var t = new Thread(r, "lab-api-namespace-controller");
            t.setDaemon(true);
            return t;
          });

  Namespaces(ApiContext ctx) {
    this.ctx = ctx;
  }

  /** Null when objects may be created in {@code namespace}, else the refusal. */
  ApiResponse admitCreate(String namespace) {
    var ns = ctx.store().get(NAMESPACES + "/" + namespace);
    if (ns == null) {
      return ApiResponse.notFound("namespaces", "", namespace);
    }
    if (terminating(ns)) {
      var s =
          ApiResponse.statusNode(
              403,
              "Forbidden",
              "unable to create new content in namespace "
                  + namespace
                  + " because it is being terminated");
      return ApiResponse.json(403, s);
    }
    return null;
  }

  private static boolean terminating(ObjectNode ns) {
    return !ns.path("metadata").path("deletionTimestamp").asText("").isEmpty()
        || "Terminating".equals(ns.path("status").path("phase").asText());
  }

  /** DELETE of a namespace: marked Terminating now, emptied and removed in the background. */
  ApiResponse delete(String name) {
    var ns = ctx.store().get(NAMESPACES + "/" + name);
    if (ns == null) {
      return ApiResponse.notFound("namespaces", "", name);
    }
    if (!terminating(ns)) {
      var meta = ns.withObject("/metadata");
      meta.put(
          "deletionTimestamp",
          ZonedDateTime.now(ZoneOffset.UTC)
              .truncatedTo(ChronoUnit.SECONDS)
              .format(DateTimeFormatter.ISO_INSTANT));
      meta.put("deletionGracePeriodSeconds", 0);
      ns.withObject("/spec").putArray("finalizers").add("kubernetes");
      ns.withObject("/status").put("phase", "Terminating");
      ctx.lock().writeLock().lock();
      try {
        ns = ctx.store().replace(NAMESPACES + "/" + name, ns);
      } finally {
        ctx.lock().writeLock().unlock();
      }
      cleaner.execute(() -> empty(name));
    }
    return ApiResponse.json(200, ns);
  }

  /** Deletes what is in the namespace until nothing is left, then the namespace itself. */
  private void empty(String name) {
    try {
      while (true) {
        int left = 0;
        for (var type : ctx.registry().all()) {
          if (!type.namespaced()) {
            continue;
          }
          for (var o : ctx.list(type, name)) {
            left++;
            if (o.path("metadata").path("deletionTimestamp").asText("").isEmpty()) {
              ctx.write(
                  "DELETE",
                  type.objectPath(
                      type.preferredVersion(), name, o.path("metadata").path("name").asText()),
                  null,
                  null);
            }
          }
        }
        if (left == 0) {
          break;
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
      ctx.write("DELETE", NAMESPACES + "/" + name, null, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("emptying namespace {}: {}", name, e.toString());
    }
  }

  @Override
  public void close() {
    cleaner.shutdownNow();
  }
}
