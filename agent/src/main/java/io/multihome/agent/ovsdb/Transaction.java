package io.multihome.agent.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The operations of one {@code transact}, in order; the server commits all of them or none. The
 * builder methods return the operation's position, which indexes its result.
 */
public final class Transaction {
  private final String database;
  private final List<TxOp> ops = new ArrayList<>();

  public Transaction(String database) {
    this.database = database;
  }

  /** A transaction on the {@code Open_vSwitch} database. */
  public static Transaction openVswitch() {
    return new Transaction(OvsdbClient.OPEN_VSWITCH);
  }

  public String database() {
    return database;
  }

  public List<TxOp> ops() {
    return List.copyOf(ops);
  }

  public boolean isEmpty() {
    return ops.stream().allMatch(o -> o instanceof TxOp.Comment);
  }

  public int add(TxOp op) {
    ops.add(op);
    return ops.size() - 1;
  }

  public int insert(String table, Map<String, JsonNode> row, String uuidName) {
    return add(new TxOp.Insert(table, row, uuidName));
  }

  public int update(String table, Where where, Map<String, JsonNode> row) {
    return add(new TxOp.Update(table, List.of(where), row));
  }

  public int mutate(String table, Where where, Mutation... mutations) {
    return add(new TxOp.Mutate(table, List.of(where), List.of(mutations)));
  }

  public int delete(String table, Where where) {
    return add(new TxOp.Delete(table, List.of(where)));
  }

  public int select(String table, List<Where> where, List<String> columns) {
    return add(new TxOp.Select(table, where, columns));
  }

  /**
   * Fails the whole transaction at once unless the row matching {@code where} still has {@code
   * expected} in those columns (the values read when the change was planned).
   */
  public int check(String table, Where where, Map<String, JsonNode> expected) {
    return add(
        new TxOp.Wait(
            table, List.of(where), List.copyOf(expected.keySet()), true, List.of(expected), 0));
  }

  public int comment(String text) {
    return add(new TxOp.Comment(text));
  }

  /** The {@code params} of the request: the database name, then every operation. */
  ArrayNode params() {
    var arr = Datum.NODES.arrayNode().add(database);
    ops.forEach(o -> arr.add(o.toJson()));
    return arr;
  }

  /** The operations as one JSON array, as logged and as {@code ovsdb-client transact} takes. */
  @Override
  public String toString() {
    return params().toString();
  }
}
