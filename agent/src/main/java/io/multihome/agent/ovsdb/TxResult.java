package io.multihome.agent.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The per-operation results of a committed transaction, in the order of its operations. */
public record TxResult(List<JsonNode> results) {
  public TxResult {
    results = List.copyOf(results);
  }

  /** The uuid an insert at {@code position} created. */
  public String uuid(int position) {
    return Datum.uuidOf(results.get(position).get("uuid"));
  }

  /** The rows a select at {@code position} returned. */
  public List<JsonNode> rows(int position) {
    var out = new ArrayList<JsonNode>();
    results.get(position).path("rows").forEach(out::add);
    return out;
  }

  /** How many rows an update, mutate or delete at {@code position} matched. */
  public long count(int position) {
    return results.get(position).path("count").asLong();
  }
}
