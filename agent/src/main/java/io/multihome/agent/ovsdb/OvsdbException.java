package io.multihome.agent.ovsdb;

import java.util.List;
import java.util.regex.Pattern;

/**
 * An OVSDB error: a failed operation of a transaction (then {@code table}, {@code row} and, when
 * known, {@code column} say where), a commit that broke a constraint, a JSON-RPC error or a lost
 * connection. {@code error} is the server's error tag ({@code constraint violation}, {@code timed
 * out}, {@code referential integrity violation}...), {@code details} its text.
 */
public final class OvsdbException extends RuntimeException {
  private static final Pattern COLUMN = Pattern.compile("column (\\w+)");

  private final String error;
  private final String details;
  private final String table;
  private final String row;
  private final String column;

  public OvsdbException(String message) {
    this(message, null, null, null, null, null);
  }

  public OvsdbException(String message, Throwable cause) {
    super(message, cause);
    this.error = null;
    this.details = null;
    this.table = null;
    this.row = null;
    this.column = null;
  }

  private OvsdbException(
      String message, String error, String details, String table, String row, String column) {
    super(message);
    this.error = error;
    this.details = details;
    this.table = table;
    this.row = row;
    this.column = column;
  }

  /** The failure of operation {@code index} ({@code op}) with the server's error object. */
  static OvsdbException ofOperation(int index, TxOp op, String error, String details) {
    String column = columnOf(op, details);
    var sb = new StringBuilder("OVSDB ").append(opName(op)).append(" #").append(index);
    if (op.table() != null) {
      sb.append(" on table ").append(op.table()).append(", ").append(op.rowLabel());
    }
    if (column != null) {
      sb.append(", column ").append(column);
    }
    sb.append(": ").append(error);
    if (details != null && !details.isEmpty()) {
      sb.append(" (").append(details).append(')');
    }
    if (op instanceof TxOp.Wait && "timed out".equals(error)) {
      sb.append(": the row changed since it was read");
    }
    return new OvsdbException(sb.toString(), error, details, op.table(), op.rowLabel(), column);
  }

  /** A commit failure (the extra result after all operations succeeded). */
  static OvsdbException ofCommit(String error, String details) {
    String column = null;
    String table = null;
    if (details != null) {
      var m = COLUMN.matcher(details);
      column = m.find() ? m.group(1) : null;
      var t = Pattern.compile("[Tt]able (\\w+)").matcher(details);
      table = t.find() ? t.group(1) : null;
    }
    return new OvsdbException(
        "OVSDB commit failed: " + error + (details == null ? "" : " (" + details + ")"),
        error,
        details,
        table,
        null,
        column);
  }

  private static String opName(TxOp op) {
    return op.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }

  private static String columnOf(TxOp op, String details) {
    if (details != null) {
      var m = COLUMN.matcher(details);
      if (m.find()) {
        return m.group(1);
      }
      // The server names the bad value, not its column: find the column holding it.
      java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> row =
          op instanceof TxOp.Update u
              ? u.row()
              : op instanceof TxOp.Insert i ? i.row() : java.util.Map.of();
      for (var e : row.entrySet()) {
        var v = e.getValue();
        if (v.isTextual() && !v.textValue().isEmpty() && details.contains(v.textValue())) {
          return e.getKey();
        }
      }
    }
    List<String> cols = op.columns();
    return cols.size() == 1
        ? cols.get(0)
        : op instanceof TxOp.Wait ? String.join(", ", cols) : null;
  }

  public String error() {
    return error;
  }

  public String details() {
    return details;
  }

  public String table() {
    return table;
  }

  public String row() {
    return row;
  }

  public String column() {
    return column;
  }
}
