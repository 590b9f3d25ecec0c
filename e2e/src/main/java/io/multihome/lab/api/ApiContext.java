package io.multihome.lab.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * What the request handlers share: the registry, the store and the lock that orders writes against
 * watch starts (a watch that sends the current state and then the changes must see no write in
 * between), the watch hub, the admission chain and the pods/log backend.
 */
record ApiContext(
    ResourceRegistry registry,
    LabStore store,
    ReentrantReadWriteLock lock,
    WatchHub hub,
    List<Admission> admissions,
    BuiltinDefaults defaults,
    Supplier<PodLogs> podLogs) {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A store mutation under the write lock. */
  io.fabric8.mockwebserver.http.MockResponse write(
      String method, String path, String contentType, String body) {
    lock.writeLock().lock();
    try {
      return store.call(method, path, contentType, body);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The stored object at a resource path in any served version of its type, or null. */
  ObjectNode find(ResourceType type, String namespace, String name) {
    for (var v : type.versions()) {
      var o = store.get(type.objectPath(v, namespace, name));
      if (o != null) {
        return o;
      }
    }
    return null;
  }

  /** Every stored object of {@code type} (in {@code namespace}, or all when null). */
  List<ObjectNode> list(ResourceType type, String namespace) {
    var out = new java.util.ArrayList<ObjectNode>();
    for (var v : type.versions()) {
      out.addAll(store.list(type.collectionPath(v, namespace)));
    }
    out.sort(
        java.util.Comparator.comparing(
                (ObjectNode o) -> o.path("metadata").path("namespace").asText(""))
            .thenComparing(o -> o.path("metadata").path("name").asText("")));
    return out;
  }

  /** The object as a client of {@code version} sees it (conversion strategy None). */
  static ObjectNode asVersion(ObjectNode o, ResourceType type, String version) {
    if (type.versions().contains(version)) {
      o.put("apiVersion", type.apiVersion(version));
    }
    if (!o.has("kind")) {
      o.put("kind", type.kind());
    }
    return o;
  }
}
