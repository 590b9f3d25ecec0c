package io.multihome.lab.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What the API server does to a custom resource before validating it against its structural schema:
 * drops every field the schema does not declare (unless {@code
 * x-kubernetes-preserve-unknown-fields}), and fills in {@code default}s of absent fields. {@code
 * apiVersion}, {@code kind} and {@code metadata} at the root (and of embedded resources) are kept.
 */
final class SchemaPruner {
  private SchemaPruner() {}

  /** Prunes and defaults {@code object} in place; returns the pruned field paths. */
  static List<String> pruneAndDefault(ObjectNode object, JsonNode schema) {
    var pruned = new ArrayList<String>();
    walk(object, schema, "", true, pruned);
    return pruned;
  }

  private static void walk(
      JsonNode value, JsonNode schema, String path, boolean root, List<String> pruned) {
    if (schema == null || schema.isMissingNode()) {
      return;
    }
    boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean();
    if (value instanceof ObjectNode obj) {
      JsonNode props = schema.path("properties");
      JsonNode additional = schema.path("additionalProperties");
      boolean embedded = root || schema.path("x-kubernetes-embedded-resource").asBoolean();
      var names = new ArrayList<String>();
      obj.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        String child = path.isEmpty() ? name : path + "." + name;
        if (embedded && (name.equals("apiVersion") || name.equals("kind"))) {
          continue;
        }
        if (embedded && name.equals("metadata")) {
          continue; // validated as ObjectMeta by the API server, never pruned
        }
        if (props.has(name)) {
          walk(obj.get(name), props.get(name), child, false, pruned);
        } else if (additional.isObject()) {
          walk(obj.get(name), additional, child, false, pruned);
        } else if (!preserve && !additional.asBoolean(false)) {
          obj.remove(name);
          pruned.add(child);
        }
      }
      // Defaults of absent declared fields (the API server defaults on write and read).
      props
          .fields()
          .forEachRemaining(
              e -> {
                if (!obj.has(e.getKey()) && e.getValue().has("default")) {
                  obj.set(e.getKey(), e.getValue().get("default").deepCopy());
                }
              });
    } else if (value instanceof ArrayNode arr) {
      JsonNode items = schema.path("items");
      for (int i = 0; i < arr.size(); i++) {
        walk(arr.get(i), items, path + "[" + i + "]", false, pruned);
      }
    }
  }
}
