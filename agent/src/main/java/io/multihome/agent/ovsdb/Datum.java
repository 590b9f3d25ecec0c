package io.multihome.agent.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * RFC 7047 §5.1 values: atoms (string, integer, real, boolean, {@code ["uuid", U]}, {@code
 * ["named-uuid", N]}), sets ({@code ["set", [atoms]]}, or one bare atom) and maps ({@code ["map",
 * [[k, v], ...]]}). Encoders build the JSON the server takes; decoders accept every form the server
 * sends (a one-element set comes back as its bare atom, an empty optional as {@code ["set", []]})
 * and reject anything else with the reason.
 */
public final class Datum {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Datum() {}

  /** {@code ["uuid", U]}: a reference to an existing row. */
  public static ArrayNode uuid(String uuid) {
    return NODES.arrayNode().add("uuid").add(uuid);
  }

  /** {@code ["named-uuid", N]}: a reference to a row inserted in the same transaction. */
  public static ArrayNode namedUuid(String name) {
    return NODES.arrayNode().add("named-uuid").add(name);
  }

  /** The empty set: clears an optional column ({@code tag}, {@code fail_mode}...). */
  public static ArrayNode empty() {
    return NODES.arrayNode().add("set").add(NODES.arrayNode());
  }

  /** One atom: a String, Long/Integer, Double, Boolean or an already encoded uuid node. */
  public static JsonNode atom(Object value) {
    if (value instanceof JsonNode n) {
      return n;
    } else if (value instanceof String s) {
      return NODES.textNode(s);
    } else if (value instanceof Long l) {
      return NODES.numberNode(l);
    } else if (value instanceof Integer i) {
      return NODES.numberNode(i.longValue());
    } else if (value instanceof Double d) {
      return NODES.numberNode(d);
    } else if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    throw new IllegalArgumentException("not an OVSDB atom: " + value);
  }

  /** An optional column's value: the atom, or the empty set for null. */
  public static JsonNode optional(Object value) {
    return value == null ? empty() : atom(value);
  }

  /** {@code ["set", [...]]} of the given atoms (always the long form: unambiguous). */
  public static ArrayNode set(Collection<?> atoms) {
    var inner = NODES.arrayNode();
    atoms.forEach(a -> inner.add(atom(a)));
    return NODES.arrayNode().add("set").add(inner);
  }

  /** {@code ["map", [[k, v], ...]]}, keys sorted so equal maps encode equally. */
  public static ArrayNode map(Map<String, String> entries) {
    var inner = NODES.arrayNode();
    new TreeMap<>(entries).forEach((k, v) -> inner.add(NODES.arrayNode().add(k).add(v)));
    return NODES.arrayNode().add("map").add(inner);
  }

  // --- decoding ---------------------------------------------------------------------------

  /** The elements of a set value (a bare atom is a one-element set). */
  public static List<JsonNode> elements(JsonNode value) {
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (isTagged(value, "set")) {
      var out = new ArrayList<JsonNode>();
      value.get(1).forEach(out::add);
      return out;
    }
    if (value.isArray() && !isTagged(value, "uuid") && !isTagged(value, "named-uuid")) {
      throw new IllegalArgumentException("not an OVSDB set or atom: " + value);
    }
    return List.of(value);
  }

  /** The uuid strings of a set of references. */
  public static List<String> uuids(JsonNode value) {
    var out = new ArrayList<String>();
    for (var e : elements(value)) {
      out.add(uuidOf(e));
    }
    return out;
  }

  /** The uuid of a {@code ["uuid", U]} atom. */
  public static String uuidOf(JsonNode atom) {
    if (!isTagged(atom, "uuid") || !atom.get(1).isTextual()) {
      throw new IllegalArgumentException("not an OVSDB uuid: " + atom);
    }
    return atom.get(1).textValue();
  }

  /** A string → string map (external_ids, other_config, options); null or empty set → empty. */
  public static Map<String, String> stringMap(JsonNode value) {
    var out = new LinkedHashMap<String, String>();
    if (value == null || value.isNull() || isEmptySet(value)) {
      return out;
    }
    if (!isTagged(value, "map")) {
      throw new IllegalArgumentException("not an OVSDB map: " + value);
    }
    for (var pair : value.get(1)) {
      if (!pair.isArray() || pair.size() != 2) {
        throw new IllegalArgumentException("not a map pair: " + pair);
      }
      out.put(text(pair.get(0)), text(pair.get(1)));
    }
    return out;
  }

  /** The value of an optional string column, or null when empty. */
  public static String optionalString(JsonNode value) {
    var e = elements(value);
    return e.isEmpty() ? null : text(e.get(0));
  }

  /** The value of an optional integer column, or null when empty. */
  public static Long optionalLong(JsonNode value) {
    var e = elements(value);
    if (e.isEmpty()) {
      return null;
    }
    if (!e.get(0).isIntegralNumber()) {
      throw new IllegalArgumentException("not an OVSDB integer: " + e.get(0));
    }
    return e.get(0).longValue();
  }

  /** The integers of a set column ({@code trunks}), in the server's order. */
  public static List<Long> longs(JsonNode value) {
    var out = new ArrayList<Long>();
    for (var e : elements(value)) {
      if (!e.isIntegralNumber()) {
        throw new IllegalArgumentException("not an OVSDB integer: " + e);
      }
      out.add(e.longValue());
    }
    return out;
  }

  /** The strings of a set column. */
  public static List<String> strings(JsonNode value) {
    var out = new ArrayList<String>();
    for (var e : elements(value)) {
      out.add(text(e));
    }
    return out;
  }

  /** A boolean column (absent counts as false, as the schema's default). */
  public static boolean bool(JsonNode value) {
    var e = elements(value);
    return !e.isEmpty() && e.get(0).asBoolean(false);
  }

  static boolean isEmptySet(JsonNode value) {
    return isTagged(value, "set") && value.get(1).isEmpty();
  }

  static boolean isTagged(JsonNode value, String tag) {
    return value != null
        && value.isArray()
        && value.size() == 2
        && value.get(0).isTextual()
        && tag.equals(value.get(0).textValue());
  }

  private static String text(JsonNode n) {
    if (!n.isTextual()) {
      throw new IllegalArgumentException("not an OVSDB string: " + n);
    }
    return n.textValue();
  }
}
