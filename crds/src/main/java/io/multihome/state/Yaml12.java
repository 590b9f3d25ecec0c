package io.multihome.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * YAML as nmstate reads it: YAML 1.2 with the core schema (snakeyaml-engine). So {@code on}, {@code
 * yes}, {@code 0000:07:00.0} and {@code 12:30:45.5} are strings (YAML 1.1 made them a boolean and
 * sexagesimal numbers), and {@code true}/{@code false}, decimal/octal/hex integers and floats are
 * what they look like. Duplicate keys are errors.
 */
final class Yaml12 {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Yaml12() {}

  /** A syntax error with its place, one line. */
  static final class SyntaxError extends Exception {
    SyntaxError(String message) {
      super(message);
    }
  }

  /** Every document of {@code text} as a tree; empty documents are left out. */
  static List<JsonNode> read(String text, int maxChars) throws SyntaxError {
    var settings =
        LoadSettings.builder()
            .setSchema(new CoreSchema())
            .setAllowDuplicateKeys(false)
            .setCodePointLimit(maxChars)
            .build();
    var out = new ArrayList<JsonNode>();
    try {
      for (Object doc : new Load(settings).loadAllFromString(text)) {
        var node = tree(doc);
        if (!node.isNull()) {
          out.add(node);
        }
      }
    } catch (MarkedYamlEngineException e) {
      var mark = e.getProblemMark();
      var what = e.getProblem();
      if (what != null && what.startsWith("found duplicate key ")) {
        what = "duplicate key '" + what.substring("found duplicate key ".length()) + "'";
      } else if (e.getContext() != null && !e.getContext().isEmpty()) {
        what = what + " (" + e.getContext() + ")";
      }
      throw new SyntaxError(
          mark.map(m -> "line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1) + ": ")
                  .orElse("")
              + what);
    } catch (YamlEngineException e) {
      throw new SyntaxError("cannot read the document: " + firstLine(e.getMessage()));
    }
    return out;
  }

  private static JsonNode tree(Object v) {
    if (v == null) {
      return NODES.nullNode();
    }
    if (v instanceof Map<?, ?> m) {
      ObjectNode o = NODES.objectNode();
      m.forEach((k, val) -> o.set(String.valueOf(k), tree(val)));
      return o;
    }
    if (v instanceof List<?> l) {
      ArrayNode a = NODES.arrayNode();
      l.forEach(e -> a.add(tree(e)));
      return a;
    }
    if (v instanceof String s) {
      return NODES.textNode(s);
    }
    if (v instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (v instanceof Integer i) {
      return NODES.numberNode(i);
    }
    if (v instanceof Long l) {
      return NODES.numberNode(l);
    }
    if (v instanceof BigInteger b) {
      return NODES.numberNode(b);
    }
    if (v instanceof Double d) {
      return NODES.numberNode(d);
    }
    if (v instanceof BigDecimal d) {
      return NODES.numberNode(d);
    }
    if (v instanceof byte[] bytes) {
      return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
    }
    return NODES.textNode(String.valueOf(v));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }
}
