package io.multihome.agent.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;

/** OVSDB values as {@code ovs-vsctl} prints them: {@code 10}, {@code [10, 20]}, {@code {k=v}}. */
final class OvsText {
  private OvsText() {}

  static String value(JsonNode v) {
    if (v == null) {
      return "(none)";
    }
    if (v.isArray() && v.size() == 2 && v.get(0).isTextual()) {
      switch (v.get(0).textValue()) {
        case "set" -> {
          var parts = new ArrayList<String>();
          v.get(1).forEach(e -> parts.add(value(e)));
          return "[" + String.join(", ", parts) + "]";
        }
        case "map" -> {
          var parts = new ArrayList<String>();
          v.get(1).forEach(e -> parts.add(value(e.get(0)) + "=" + quoted(e.get(1))));
          return "{" + String.join(", ", parts) + "}";
        }
        case "uuid", "named-uuid" -> {
          return v.get(1).asText();
        }
        default -> {
          // not a tagged value
        }
      }
    }
    return v.isTextual() ? quoted(v) : v.toString();
  }

  private static String quoted(JsonNode v) {
    var t = v.asText();
    return t.isEmpty() || t.matches(".*[\\s,:=\\[\\]{}\"].*")
        ? "\"" + t.replace("\"", "\\\"") + "\""
        : t;
  }
}
