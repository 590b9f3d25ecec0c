package io.multihome.agent.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/** One RFC 7047 condition {@code [column, function, value]} of a {@code where} clause. */
public record Where(String column, String function, JsonNode value) {

  /** {@code column == value} for a plain atom (name, type...). */
  public static Where eq(String column, Object value) {
    return new Where(column, "==", Datum.atom(value));
  }

  /** The row with this {@code _uuid}. */
  public static Where uuid(String uuid) {
    return new Where("_uuid", "==", Datum.uuid(uuid));
  }

  /** The row named {@code name} (Bridge, Port and Interface rows have a unique name). */
  public static Where name(String name) {
    return eq("name", name);
  }

  ArrayNode toJson() {
    return Datum.NODES.arrayNode().add(column).add(function).add(value);
  }

  /** {@code name == "br0"}, for error messages. */
  @Override
  public String toString() {
    var v = value.isTextual() ? "\"" + value.textValue() + "\"" : value.toString();
    if (column.equals("_uuid") && Datum.isTagged(value, "uuid")) {
      v = value.get(1).textValue();
    }
    return column + " " + function + " " + v;
  }
}
