package io.multihome.controller.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON patch network-resources-injector sends, op for op: resources on the first container, the
 * {@code podnetinfo} downward-API volume and its mounts, the nodeSelector. One difference: a
 * container without a {@code resources} object gets one first — the API server's own pod JSON
 * always has it, a stored manifest (the lab's) may not, and an add below a missing parent fails.
 */
final class PodPatch {
  static final String PODNETINFO = "podnetinfo";
  static final String PODNETINFO_PATH = "/etc/podnetinfo";

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private final JsonNode spec;
  private final ArrayNode ops = F.arrayNode();

  PodPatch(JsonNode spec) {
    this.spec = spec;
  }

  static ArrayNode empty() {
    return F.arrayNode();
  }

  ArrayNode ops() {
    return ops;
  }

  /**
   * Adds {@code counts} to the first container's requests and limits. Without {@code honor} a
   * resource any container already requests or limits is left as the user wrote it; with it the
   * count is added to the first container's values.
   */
  void resources(Map<String, Long> counts, boolean honor) {
    JsonNode first = spec.path("containers").path(0);
    if (first.isMissingNode()) {
      return;
    }
    String base = "/spec/containers/0/resources";
    if (!first.path("resources").isObject()) {
      add(base, F.objectNode());
    }
    JsonNode requests = first.path("resources").path("requests");
    JsonNode limits = first.path("resources").path("limits");
    if (requests.size() == 0) {
      add(base + "/requests", F.objectNode());
    }
    if (limits.size() == 0) {
      add(base + "/limits", F.objectNode());
    }
    var wanted = new TreeMap<String, Long>(counts);
    if (!honor) {
      for (JsonNode c : spec.path("containers")) {
        wanted.keySet().removeIf(r -> c.path("resources").path("limits").has(r));
        wanted.keySet().removeIf(r -> c.path("resources").path("requests").has(r));
      }
    }
    for (var e : wanted.entrySet()) {
      String key = pointer(e.getKey());
      String request = honor ? sum(requests.get(e.getKey()), e.getValue()) : e.getValue() + "";
      String limit = honor ? sum(limits.get(e.getKey()), e.getValue()) : e.getValue() + "";
      add(base + "/requests/" + key, F.textNode(request));
      add(base + "/limits/" + key, F.textNode(limit));
    }
  }

  /** Upstream's {@code addVolumeMount} and {@code addVolDownwardAPI}. */
  void podNetInfo(JsonNode metadata) {
    var containers = spec.path("containers");
    for (int i = 0; i < containers.size(); i++) {
      JsonNode mounts = containers.get(i).path("volumeMounts");
      boolean mounted = false;
      for (JsonNode m : mounts) {
        mounted |= PODNETINFO.equals(m.path("name").asText());
      }
      if (mounted) {
        continue;
      }
      String base = "/spec/containers/" + i + "/volumeMounts";
      if (mounts.size() == 0) {
        add(base, F.arrayNode());
      }
      ObjectNode mount = F.objectNode();
      mount.put("name", PODNETINFO).put("readOnly", true).put("mountPath", PODNETINFO_PATH);
      add(base + "/-", mount);
    }
    for (JsonNode v : spec.path("volumes")) {
      if (PODNETINFO.equals(v.path("name").asText())) {
        return;
      }
    }
    if (spec.path("volumes").size() == 0) {
      add("/spec/volumes", F.arrayNode());
    }
    ObjectNode volume = F.objectNode().put("name", PODNETINFO);
    ArrayNode items = volume.putObject("downwardAPI").putArray("items");
    if (metadata.path("labels").size() > 0) {
      items
          .addObject()
          .put("path", "labels")
          .putObject("fieldRef")
          .put("fieldPath", "metadata.labels");
    }
    if (metadata.path("annotations").size() > 0) {
      items
          .addObject()
          .put("path", "annotations")
          .putObject("fieldRef")
          .put("fieldPath", "metadata.annotations");
    }
    add("/spec/volumes/-", volume);
  }

  /** The pod's nodeSelector with the NADs' labels over it, when there are any. */
  void nodeSelector(Map<String, String> fromNads) {
    if (fromNads.isEmpty()) {
      return;
    }
    ObjectNode merged = F.objectNode();
    spec.path("nodeSelector").fields().forEachRemaining(e -> merged.set(e.getKey(), e.getValue()));
    fromNads.forEach(merged::put);
    add("/spec/nodeSelector", merged);
  }

  private void add(String path, JsonNode value) {
    ops.addObject().put("op", "add").put("path", path).set("value", value);
  }

  /** An existing quantity plus {@code count}, in plain decimal (resource counts are integers). */
  private static String sum(JsonNode existing, long count) {
    if (existing == null || existing.isNull()) {
      return Long.toString(count);
    }
    BigDecimal have = Quantity.getAmountInBytes(new Quantity(existing.asText()));
    return have.add(BigDecimal.valueOf(count)).stripTrailingZeros().toPlainString();
  }

  /** RFC 6901 escaping of one reference token. */
  static String pointer(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
