package io.multihome.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.regex.Pattern;

/**
 * The {@code scale} subresource of Deployments and ReplicaSets ({@code kubectl scale}): the mock
 * server treats {@code …/scale} as the object itself, so reads and merge patches already reach the
 * right object; this turns the object it answers with into the {@code autoscaling/v1 Scale} clients
 * expect, and a Scale written with PUT into a patch of {@code spec.replicas}.
 */
final class LabScale {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PATH =
      Pattern.compile("/apis/apps/v1/namespaces/[^/]+/(deployments|replicasets)/[^/?]+/scale");

  private LabScale() {}

  static boolean isScalePath(String path) {
    return PATH.matcher(path.split("\\?", 2)[0]).matches();
  }

  /** The object path behind a scale path. */
  static String objectPath(String path) {
    String bare = path.split("\\?", 2)[0];
    return bare.substring(0, bare.length() - "/scale".length());
  }

  /** The merge patch a PUT of a Scale amounts to (replicas, resourceVersion as precondition). */
  static String patchFor(String scaleJson) throws IOException {
    JsonNode scale = JSON.readTree(scaleJson);
    var patch = JSON.createObjectNode();
    patch.putObject("spec").set("replicas", scale.path("spec").path("replicas"));
    var rv = scale.path("metadata").path("resourceVersion");
    if (rv.isTextual() && !rv.asText().isEmpty()) {
      patch.putObject("metadata").put("resourceVersion", rv.asText());
    }
    return patch.toString();
  }

  /** {@code response} with a Scale of the object it carries (errors pass through). */
  static MockResponse asScale(MockResponse response) {
    if (response.code() / 100 != 2 || response.getBody() == null) {
      return response;
    }
    try {
      JsonNode obj = JSON.readTree(response.getBody().getBytes());
      ObjectNode scale = JSON.createObjectNode();
      scale.put("kind", "Scale").put("apiVersion", "autoscaling/v1");
      var meta = scale.putObject("metadata");
      for (var field :
          new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
        if (obj.path("metadata").has(field)) {
          meta.set(field, obj.path("metadata").get(field));
        }
      }
      scale.putObject("spec").put("replicas", obj.path("spec").path("replicas").asInt(1));
      var status = scale.putObject("status");
      status.put("replicas", obj.path("status").path("replicas").asInt(0));
      var labels = new ArrayList<String>();
      obj.path("spec")
          .path("selector")
          .path("matchLabels")
          .fields()
          .forEachRemaining(e -> labels.add(e.getKey() + "=" + e.getValue().asText()));
      status.put("selector", String.join(",", labels));
      return new MockResponse()
          .setResponseCode(response.code())
          .addHeader("Content-Type", "application/json")
          .setBody(scale.toString());
    } catch (IOException e) {
      return response;
    }
  }
}
