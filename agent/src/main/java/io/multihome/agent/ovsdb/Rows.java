package io.multihome.agent.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Column readers for the typed rows; a malformed value fails naming table, row and column. */
final class Rows {
  private final String table;
  private final JsonNode row;
  private String column;

  private Rows(String table, JsonNode row) {
    this.table = table;
    this.row = row;
  }

  static <T> T read(String table, JsonNode row, Function<Rows, T> build) {
    var r = new Rows(table, row);
    try {
      return build.apply(r);
    } catch (IllegalArgumentException e) {
      var name = row.path("name").asText(row.path("_uuid").path(1).asText("?"));
      throw new OvsdbException(
          "OVSDB table "
              + table
              + ", row "
              + name
              + ", column "
              + r.column
              + ": "
              + e.getMessage());
    }
  }

  private JsonNode at(String c) {
    column = c;
    return row.get(c);
  }

  String uuid() {
    var v = at("_uuid");
    return v == null ? null : Datum.uuidOf(v);
  }

  String string(String c) {
    var v = at(c);
    if (v == null) {
      return "";
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException("not a string: " + v);
    }
    return v.textValue();
  }

  String optionalString(String c) {
    return Datum.optionalString(at(c));
  }

  Long optionalLong(String c) {
    return Datum.optionalLong(at(c));
  }

  long longOr(String c, long otherwise) {
    var v = Datum.optionalLong(at(c));
    return v == null ? otherwise : v;
  }

  boolean bool(String c) {
    return Datum.bool(at(c));
  }

  List<String> uuids(String c) {
    return Datum.uuids(at(c));
  }

  List<Long> longs(String c) {
    return Datum.longs(at(c));
  }

  List<String> strings(String c) {
    return Datum.strings(at(c));
  }

  Map<String, String> map(String c) {
    return Datum.stringMap(at(c));
  }
}
