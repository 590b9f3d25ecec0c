package io.multihome.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What one parse has found so far: problems and capture templates, both by path. */
final class ParseContext {

  final List<Problem> problems = new ArrayList<>();
  final Map<String, Template> templates = new LinkedHashMap<>();

  /** Where {@link ModelFields} learns the schema the parser reads; null in ordinary parses. */
  final Map<String, ModelFields.Field> schema;

  ParseContext() {
    this(null);
  }

  ParseContext(Map<String, ModelFields.Field> schema) {
    this.schema = schema;
  }

  /**
   * Records that the parser reads {@code key} under {@code path} with {@code shape}; a later, more
   * specific shape (object, list) replaces the scalar that every read starts with.
   */
  void saw(String path, String key, ModelFields.Shape shape, ModelFields.Category category) {
    if (schema == null) {
      return;
    }
    var at = ModelFields.schemaPath(Problem.child(path, key));
    var old = schema.get(at);
    if (old == null
        || old.shape() == ModelFields.Shape.SCALAR
        || shape == ModelFields.Shape.SCALAR_LIST) {
      schema.put(at, new ModelFields.Field(at, shape, category));
    }
  }

  void problem(String path, String message) {
    problems.add(new Problem(path, message));
  }

  /** Records {@code text} as the template at {@code path}; false when it is a plain string. */
  boolean template(String path, String text) {
    var t = Template.of(text);
    if (t == null) {
      return false;
    }
    templates.put(path, t);
    return true;
  }

  String string(JsonNode v, String at) {
    if (v == null) {
      return null;
    }
    if (v.isTextual()) {
      return template(at, v.textValue()) ? null : v.textValue();
    }
    problem(at, "must be a string, not " + Fields.describe(v));
    return null;
  }

  <E extends Enum<E> & Wire> E choice(JsonNode v, String at, Class<E> type) {
    var text = v.isValueNode() ? v.asText() : null;
    if (text != null && v.isTextual() && template(at, text)) {
      return null;
    }
    for (var c : type.getEnumConstants()) {
      if (c.wire().equals(text)) {
        return c;
      }
    }
    var expected =
        java.util.Arrays.stream(type.getEnumConstants())
            .map(Wire::wire)
            .collect(Collectors.joining(", "));
    problem(at, Fields.describe(v) + " is not one of " + expected);
    return null;
  }

  void unknownField(String at, String key, Collection<String> known, Collection<String> more) {
    var best = closest(key, known);
    if (best == null) {
      best = closest(key, more);
    }
    if (best != null) {
      problem(at, "unknown field '" + key + "'; did you mean '" + best + "'?");
    } else {
      var all = new ArrayList<>(known);
      all.addAll(more);
      problem(at, "unknown field '" + key + "'; expected one of " + String.join(", ", all));
    }
  }

  private static String closest(String key, Collection<String> candidates) {
    String best = null;
    int bestDistance = 3;
    for (var c : candidates) {
      int d = distance(key, c);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best;
  }

  /** Levenshtein distance; keys are short, so the quadratic table is cheap. */
  private static int distance(String a, String b) {
    var prev = new int[b.length() + 1];
    var cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      var t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
