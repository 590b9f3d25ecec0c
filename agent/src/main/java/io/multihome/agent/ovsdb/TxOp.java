package io.multihome.agent.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One operation of a {@code transact} (RFC 7047 §5.2). Each knows its table and which row it is
 * about, so a failure names both.
 */
public sealed interface TxOp {

  /** The table, or null for {@code comment}. */
  String table();

  /** The row(s) the op addresses, for messages: {@code new row "p_eth1"}, {@code name == "br0"}. */
  String rowLabel();

  ObjectNode toJson();

  /** Columns an error may be about (those the op writes or waits on). */
  default List<String> columns() {
    return List.of();
  }

  private static ObjectNode base(String op, String table) {
    var o = Datum.NODES.objectNode().put("op", op);
    if (table != null) {
      o.put("table", table);
    }
    return o;
  }

  private static ObjectNode rowNode(Map<String, JsonNode> row) {
    var o = Datum.NODES.objectNode();
    row.forEach(o::set);
    return o;
  }

  private static void writeWhere(ObjectNode o, List<Where> where) {
    var arr = o.putArray("where");
    where.forEach(w -> arr.add(w.toJson()));
  }

  private static String whereLabel(List<Where> where) {
    return where.isEmpty()
        ? "every row"
        : where.stream().map(Where::toString).collect(Collectors.joining(" and "));
  }

  /** Inserts {@code row}; {@code uuidName} (may be null) lets later ops of the tx refer to it. */
  record Insert(String table, Map<String, JsonNode> row, String uuidName) implements TxOp {
    public Insert {
      row = Collections.unmodifiableMap(new LinkedHashMap<>(row));
    }

    @Override
    public String rowLabel() {
      return uuidName == null ? "new row" : "new row \"" + uuidName + "\"";
    }

    @Override
    public List<String> columns() {
      return List.copyOf(row.keySet());
    }

    @Override
    public ObjectNode toJson() {
      var o = base("insert", table);
      o.set("row", rowNode(row));
      if (uuidName != null) {
        o.put("uuid-name", uuidName);
      }
      return o;
    }
  }

  /** Sets {@code row}'s columns on every row matching {@code where}. */
  record Update(String table, List<Where> where, Map<String, JsonNode> row) implements TxOp {
    public Update {
      where = List.copyOf(where);
      row = Collections.unmodifiableMap(new LinkedHashMap<>(row));
    }

    @Override
    public String rowLabel() {
      return whereLabel(where);
    }

    @Override
    public List<String> columns() {
      return List.copyOf(row.keySet());
    }

    @Override
    public ObjectNode toJson() {
      var o = base("update", table);
      writeWhere(o, where);
      o.set("row", rowNode(row));
      return o;
    }
  }

  /** Applies {@code mutations} to every row matching {@code where}. */
  record Mutate(String table, List<Where> where, List<Mutation> mutations) implements TxOp {
    public Mutate {
      where = List.copyOf(where);
      mutations = List.copyOf(mutations);
    }

    @Override
    public String rowLabel() {
      return whereLabel(where);
    }

    @Override
    public List<String> columns() {
      return mutations.stream().map(Mutation::column).distinct().toList();
    }

    @Override
    public ObjectNode toJson() {
      var o = base("mutate", table);
      writeWhere(o, where);
      var arr = o.putArray("mutations");
      mutations.forEach(m -> arr.add(m.toJson()));
      return o;
    }
  }

  /** Deletes every row matching {@code where}. */
  record Delete(String table, List<Where> where) implements TxOp {
    public Delete {
      where = List.copyOf(where);
    }

    @Override
    public String rowLabel() {
      return whereLabel(where);
    }

    @Override
    public ObjectNode toJson() {
      var o = base("delete", table);
      writeWhere(o, where);
      return o;
    }
  }

  /** Reads {@code columns} (all when empty) of the rows matching {@code where}. */
  record Select(String table, List<Where> where, List<String> columns) implements TxOp {
    public Select {
      where = List.copyOf(where);
      columns = List.copyOf(columns);
    }

    @Override
    public String rowLabel() {
      return whereLabel(where);
    }

    @Override
    public ObjectNode toJson() {
      var o = base("select", table);
      writeWhere(o, where);
      if (!columns.isEmpty()) {
        var arr = o.putArray("columns");
        columns.forEach(arr::add);
      }
      return o;
    }
  }

  /**
   * The optimistic check: the transaction goes on only if the {@code columns} of the rows matching
   * {@code where} are exactly {@code rows} ({@code equal}) or not; with {@code timeoutMs} 0 it
   * fails at once ("timed out") when they are not, so nothing of the transaction is committed.
   */
  record Wait(
      String table,
      List<Where> where,
      List<String> columns,
      boolean equal,
      List<Map<String, JsonNode>> rows,
      int timeoutMs)
      implements TxOp {
    public Wait {
      where = List.copyOf(where);
      columns = List.copyOf(columns);
      rows = rows.stream().map(r -> Collections.unmodifiableMap(new LinkedHashMap<>(r))).toList();
    }

    @Override
    public String rowLabel() {
      return whereLabel(where);
    }

    @Override
    public ObjectNode toJson() {
      var o = base("wait", table);
      o.put("timeout", timeoutMs);
      writeWhere(o, where);
      var cols = o.putArray("columns");
      columns.forEach(cols::add);
      o.put("until", equal ? "==" : "!=");
      var arr = o.putArray("rows");
      rows.forEach(r -> arr.add(rowNode(r)));
      return o;
    }
  }

  /** A comment the server writes to its log with the transaction. */
  record Comment(String comment) implements TxOp {
    @Override
    public String table() {
      return null;
    }

    @Override
    public String rowLabel() {
      return "";
    }

    @Override
    public ObjectNode toJson() {
      return base("comment", null).put("comment", comment);
    }
  }
}
