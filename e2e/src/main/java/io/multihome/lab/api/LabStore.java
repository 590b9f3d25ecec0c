package io.multihome.lab.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The object store: fabric8's CRUD dispatcher (create with generateName/uid/timestamps,
 * resourceVersion conflicts, status subresources, finalizers), called in-process, with every change
 * handed to a listener in the order it was made (for watches), carrying the object and the path it
 * was written at.
 */
final class LabStore extends KubernetesCrudDispatcher {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One change: type ADDED/MODIFIED/DELETED, the object as now (DELETED: as it was). */
  record Change(String type, ObjectNode object, String path) {}

  private final Consumer<Change> listener;

  LabStore(Consumer<Change> listener) {
    this.listener = listener;
  }

  /** Runs one request against the store; {@code path} without watch parameters. */
  MockResponse call(String method, String path, String contentType, String body) {
    var headers = Headers.builder();
    if (contentType != null) {
      headers.add("Content-Type", contentType);
    }
    var request =
        new RecordedRequest(
            "HTTP/1.1",
            HttpMethod.valueOf(method),
            path,
            headers.build(),
            new Buffer(body == null ? null : body.getBytes(StandardCharsets.UTF_8)));
    return dispatch(request);
  }

  /** The stored object at {@code path}, or null. */
  ObjectNode get(String path) {
    var r = call("GET", path, null, null);
    return r.code() == 200 ? parse(text(r)) : null;
  }

  /** The stored objects under a collection path (namespaced or across namespaces). */
  List<ObjectNode> list(String path) {
    var r = call("GET", path, null, null);
    var items = new ArrayList<ObjectNode>();
    if (r.code() == 200) {
      for (JsonNode item : parse(text(r)).path("items")) {
        items.add((ObjectNode) item);
      }
    }
    return items;
  }

  /**
   * Writes {@code object} at {@code path} as it is (no status/finalizer handling), with a new
   * resourceVersion: for what the API server itself changes, such as a namespace turning
   * Terminating. Callers hold the API's write lock.
   */
  ObjectNode replace(String path, ObjectNode object) {
    var key = getKey(path);
    var entry = findResource(key);
    if (entry == null) {
      return null;
    }
    object.withObject("/metadata").put("resourceVersion", String.valueOf(requestResourceVersion()));
    processEvent(path, key, entry.getKey(), null, object.toString());
    return object;
  }

  /** The newest resourceVersion handed out (what a list is consistent with). */
  long currentResourceVersion() {
    return lastResourceVersion;
  }

  private volatile long lastResourceVersion;

  @Override
  public long requestResourceVersion() {
    long rv = super.requestResourceVersion();
    lastResourceVersion = rv;
    return rv;
  }

  @Override
  public void processEvent(
      String path,
      AttributeSet pathAttributes,
      AttributeSet oldAttributes,
      GenericKubernetesResource resource,
      String newState) {
    // Called with the store's write lock held: changes reach the listener in commit order.
    String existing = oldAttributes == null ? null : map.get(oldAttributes);
    super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    if (Objects.equals(existing, newState)) {
      return;
    }
    if (newState == null) {
      var gone = parse(existing);
      // A DELETED event carries a resourceVersion newer than any before it, as an API server's.
      ((ObjectNode) gone.path("metadata"))
          .put("resourceVersion", String.valueOf(requestResourceVersion()));
      listener.accept(new Change("DELETED", gone, path));
    } else {
      listener.accept(new Change(existing == null ? "ADDED" : "MODIFIED", parse(newState), path));
    }
  }

  /** A store response's body as text ("" when none). */
  static String text(MockResponse r) {
    return r.getBody() == null || r.getBody().getBytes() == null
        ? ""
        : new String(r.getBody().getBytes(), StandardCharsets.UTF_8);
  }

  static ObjectNode parse(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
