package io.multihome.lab.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Label and field selectors as the API server evaluates them on lists and watches: labels with
 * {@code =}, {@code ==}, {@code !=}, {@code in}, {@code notin}, exists and {@code !key}; fields
 * with {@code =}, {@code ==}, {@code !=} on any dotted path of the object ({@code metadata.name},
 * {@code involvedObject.uid}, {@code spec.nodeName}, …; a missing field reads as the empty string).
 */
final class Selectors {
  private Selectors() {}

  /** Both selectors of a request (either may be null or empty). */
  static Predicate<JsonNode> of(String labelSelector, String fieldSelector) {
    Predicate<JsonNode> labels = labels(labelSelector);
    Predicate<JsonNode> fields = fields(fieldSelector);
    return o -> labels.test(o) && fields.test(o);
  }

  static Predicate<JsonNode> fields(String selector) {
    if (selector == null || selector.isBlank()) {
      return o -> true;
    }
    var terms = new ArrayList<Predicate<JsonNode>>();
    for (String term : selector.split(",")) {
      String t = term.trim();
      boolean negate = t.contains("!=");
      String[] kv = t.split(negate ? "!=" : "==?", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("invalid field selector term: " + t);
      }
      String field = kv[0].trim();
      String value = kv[1].trim();
      terms.add(o -> at(o, field).equals(value) != negate);
    }
    return o -> terms.stream().allMatch(p -> p.test(o));
  }

  /** The text at a dotted path ("" when absent). */
  static String at(JsonNode o, String dotted) {
    JsonNode n = o;
    for (String part : dotted.split("\\.")) {
      n = n.path(part);
    }
    return n.isValueNode() ? n.asText() : "";
  }

  static Predicate<JsonNode> labels(String selector) {
    if (selector == null || selector.isBlank()) {
      return o -> true;
    }
    var terms = new ArrayList<Predicate<JsonNode>>();
    for (String term : splitTerms(selector)) {
      terms.add(labelTerm(term.trim()));
    }
    return o -> {
      JsonNode labels = o.path("metadata").path("labels");
      return terms.stream().allMatch(p -> p.test(labels));
    };
  }

  private static Predicate<JsonNode> labelTerm(String t) {
    var setOp = java.util.regex.Pattern.compile("^(\\S+)\\s+(in|notin)\\s*\\((.*)\\)$").matcher(t);
    if (setOp.matches()) {
      String key = setOp.group(1);
      boolean in = setOp.group(2).equals("in");
      Set<String> values = Set.copyOf(trimmed(setOp.group(3).split(",")));
      return l -> {
        boolean has = l.has(key) && l.get(key).isTextual();
        return in
            ? has && values.contains(l.get(key).asText())
            : !has || !values.contains(l.get(key).asText());
      };
    }
    if (t.contains("!=")) {
      String[] kv = t.split("!=", 2);
      String key = kv[0].trim();
      String value = kv[1].trim();
      return l -> !(l.path(key).isTextual() && l.get(key).asText().equals(value));
    }
    if (t.contains("=")) {
      String[] kv = t.split("==?", 2);
      String key = kv[0].trim();
      String value = kv[1].trim();
      return l -> l.path(key).isTextual() && l.get(key).asText().equals(value);
    }
    if (t.startsWith("!")) {
      String key = t.substring(1).trim();
      return l -> !l.path(key).isTextual();
    }
    return l -> l.path(t).isTextual();
  }

  /** Splits on commas outside parentheses. */
  private static List<String> splitTerms(String s) {
    var out = new ArrayList<String>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        out.add(s.substring(start, i));
        start = i + 1;
      }
    }
    out.add(s.substring(start));
    return out;
  }

  private static List<String> trimmed(String[] parts) {
    var out = new ArrayList<String>();
    for (String p : parts) {
      if (!p.isBlank()) {
        out.add(p.trim());
      }
    }
    return out;
  }
}
