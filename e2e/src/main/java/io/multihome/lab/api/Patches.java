package io.multihome.lab.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The three patch types of the API: JSON patch (RFC 6902, applied by zjsonpatch), JSON merge patch
 * (RFC 7386: {@code null} removes a key, lists are replaced) and strategic merge patch for built-in
 * kinds (lists merged by their merge key — containers by name, conditions by type, … — and the
 * {@code $patch}, {@code $retainKeys}, {@code $deleteFromPrimitiveList} and {@code
 * $setElementOrder} directives kubectl sends).
 */
final class Patches {
  static final String JSON_PATCH = "application/json-patch+json";
  static final String MERGE_PATCH = "application/merge-patch+json";
  static final String STRATEGIC_PATCH = "application/strategic-merge-patch+json";

  /** Lists merged element-wise, by field name: the merge key of their elements. */
  private static final Map<String, String> MERGE_KEYS =
      Map.ofEntries(
          Map.entry("containers", "name"),
          Map.entry("initContainers", "name"),
          Map.entry("ephemeralContainers", "name"),
          Map.entry("env", "name"),
          Map.entry("volumes", "name"),
          Map.entry("volumeMounts", "mountPath"),
          Map.entry("volumeDevices", "devicePath"),
          Map.entry("imagePullSecrets", "name"),
          Map.entry("conditions", "type"),
          Map.entry("ownerReferences", "uid"),
          Map.entry("hostAliases", "ip"),
          Map.entry("taints", "key"),
          Map.entry("addresses", "type"),
          Map.entry("topologySpreadConstraints", "topologyKey"),
          Map.entry("resourceClaims", "name"));

  /** Lists of scalars merged as sets. */
  private static final Set<String> MERGED_SCALAR_LISTS = Set.of("finalizers");

  /** A patch the API refuses (bad body or unsupported type for the resource). */
  static final class PatchException extends Exception {
    final int code;

    PatchException(int code, String message) {
      super(message);
      this.code = code;
    }
  }

  private Patches() {}

  /** {@code current} patched by {@code patch} of media type {@code contentType}. */
  static JsonNode apply(JsonNode current, JsonNode patch, String contentType, boolean custom)
      throws PatchException {
    switch (contentType) {
      case JSON_PATCH:
        if (!patch.isArray()) {
          throw new PatchException(400, "a JSON patch must be an array of operations");
        }
        try {
          return JsonPatch.apply(patch, current);
        } catch (JsonPatchException | IllegalArgumentException e) {
          throw new PatchException(422, "the JSON patch cannot be applied: " + e.getMessage());
        }
      case MERGE_PATCH:
        return merge(current, patch);
      case STRATEGIC_PATCH:
        if (custom) {
          throw new PatchException(
              415,
              "the body of the request was in an unknown format - accepted media types include:"
                  + " application/json-patch+json, application/merge-patch+json,"
                  + " application/apply-patch+yaml");
        }
        return strategic(current, patch, "");
      default:
        throw new PatchException(
            415,
            "the body of the request was in an unknown format - accepted media types include: "
                + String.join(", ", JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH));
    }
  }

  /** RFC 7386. */
  static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result =
        target != null && target.isObject()
            ? ((ObjectNode) target).deepCopy()
            : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      var e = it.next();
      if (e.getValue().isNull()) {
        result.remove(e.getKey());
      } else {
        result.set(e.getKey(), merge(result.get(e.getKey()), e.getValue()));
      }
    }
    return result;
  }

  private static JsonNode strategic(JsonNode target, JsonNode patch, String field)
      throws PatchException {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    String directive = patch.path("$patch").asText("");
    if (directive.equals("replace")) {
      var copy = ((ObjectNode) patch).deepCopy();
      copy.remove("$patch");
      return copy;
    }
    if (directive.equals("delete")) {
      return null;
    }
    ObjectNode result =
        target != null && target.isObject()
            ? ((ObjectNode) target).deepCopy()
            : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    List<String> retain = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      var e = it.next();
      String key = e.getKey();
      JsonNode value = e.getValue();
      if (key.equals("$retainKeys")) {
        retain = new ArrayList<>();
        for (var k : value) {
          retain.add(k.asText());
        }
      } else if (key.startsWith("$setElementOrder/") || key.equals("$patch")) {
        continue; // ordering only; the merged order is kept
      } else if (key.startsWith("$deleteFromPrimitiveList/")) {
        String list = key.substring("$deleteFromPrimitiveList/".length());
        var drop = new HashSet<JsonNode>();
        value.forEach(drop::add);
        if (result.get(list) instanceof ArrayNode arr) {
          var kept = arr.arrayNode();
          arr.forEach(
              v -> {
                if (!drop.contains(v)) {
                  kept.add(v);
                }
              });
          result.set(list, kept);
        }
      } else if (value.isNull()) {
        result.remove(key);
      } else if (value.isArray()) {
        result.set(key, mergeList(result.get(key), (ArrayNode) value, key));
      } else if (value.isObject()) {
        JsonNode merged = strategic(result.get(key), value, key);
        if (merged == null) {
          result.remove(key);
        } else {
          result.set(key, merged);
        }
      } else {
        result.set(key, value.deepCopy());
      }
    }
    if (retain != null) {
      var keep = Set.copyOf(retain);
      var names = new ArrayList<String>();
      result.fieldNames().forEachRemaining(names::add);
      for (var n : names) {
        if (!keep.contains(n)) {
          result.remove(n);
        }
      }
    }
    return result;
  }

  private static JsonNode mergeList(JsonNode current, ArrayNode patch, String field)
      throws PatchException {
    for (var el : patch) {
      if (el.isObject() && "replace".equals(el.path("$patch").asText())) {
        var replaced = patch.arrayNode();
        for (var e : patch) {
          if (!(e.isObject() && e.has("$patch"))) {
            replaced.add(e.deepCopy());
          }
        }
        return replaced;
      }
    }
    if (MERGED_SCALAR_LISTS.contains(field)) {
      var out = current instanceof ArrayNode a ? a.deepCopy() : patch.arrayNode();
      var present = new HashSet<JsonNode>();
      out.forEach(present::add);
      for (var el : patch) {
        if (present.add(el)) {
          out.add(el.deepCopy());
        }
      }
      return out;
    }
    String key = mergeKey(field, patch);
    if (key == null || !(current instanceof ArrayNode)) {
      var copy = patch.arrayNode();
      for (var el : patch) {
        if (!(el.isObject() && "delete".equals(el.path("$patch").asText()))) {
          copy.add(stripDirectives(el));
        }
      }
      return copy;
    }
    var out = ((ArrayNode) current).deepCopy();
    for (var el : patch) {
      if (!el.isObject() || !el.has(key)) {
        throw new PatchException(
            422, "the strategic merge patch for " + field + " lacks merge key " + key);
      }
      int at = indexOf(out, key, el.get(key));
      if ("delete".equals(el.path("$patch").asText())) {
        if (at >= 0) {
          out.remove(at);
        }
      } else if (at >= 0) {
        out.set(at, strategic(out.get(at), el, field));
      } else {
        out.add(stripDirectives(el));
      }
    }
    return out;
  }

  private static String mergeKey(String field, ArrayNode patch) {
    if (field.equals("ports")) {
      for (var el : patch) {
        if (el.has("containerPort")) {
          return "containerPort";
        }
      }
      return "port";
    }
    return MERGE_KEYS.get(field);
  }

  private static int indexOf(ArrayNode list, String key, JsonNode value) {
    for (int i = 0; i < list.size(); i++) {
      if (value.equals(list.get(i).get(key))) {
        return i;
      }
    }
    return -1;
  }

  private static JsonNode stripDirectives(JsonNode el) {
    if (!el.isObject()) {
      return el.deepCopy();
    }
    var copy = ((ObjectNode) el).deepCopy();
    var names = new ArrayList<String>();
    copy.fieldNames().forEachRemaining(names::add);
    names.stream().filter(n -> n.startsWith("$")).forEach(copy::remove);
    return copy;
  }
}
