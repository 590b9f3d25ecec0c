package io.multihome.lab.api;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code metav1.LabelSelector} objects ({@code matchLabels}, {@code matchExpressions}). */
final class LabelSelectors {
  private LabelSelectors() {}

  /** An absent or empty selector matches everything; absent labels are an empty set. */
  static boolean matches(JsonNode selector, JsonNode labels) {
    if (selector == null || selector.isMissingNode() || selector.isNull()) {
      return true;
    }
    JsonNode l =
        labels == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : labels;
    var it = selector.path("matchLabels").fields();
    while (it.hasNext()) {
      var e = it.next();
      if (!l.path(e.getKey()).isTextual()
          || !l.get(e.getKey()).asText().equals(e.getValue().asText())) {
        return false;
      }
    }
    for (var expr : selector.path("matchExpressions")) {
      String key = expr.path("key").asText();
      boolean has = l.path(key).isTextual();
      String value = has ? l.get(key).asText() : null;
      boolean in = false;
      for (var v : expr.path("values")) {
        in |= v.asText().equals(value);
      }
      boolean ok =
          switch (expr.path("operator").asText()) {
            case "In" -> has && in;
            case "NotIn" -> !has || !in;
            case "Exists" -> has;
            case "DoesNotExist" -> !has;
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
