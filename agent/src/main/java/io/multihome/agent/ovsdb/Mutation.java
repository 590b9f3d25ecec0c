package io.multihome.agent.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/** One RFC 7047 mutation {@code [column, mutator, value]} ({@code insert}, {@code delete}, +=). */
public record Mutation(String column, String mutator, JsonNode value) {

  /** Adds the elements of {@code value} (a set or map) to a set or map column. */
  public static Mutation insert(String column, JsonNode value) {
    return new Mutation(column, "insert", value);
  }

  /** Removes elements (a set of values, or a set of keys from a map column). */
  public static Mutation delete(String column, JsonNode value) {
    return new Mutation(column, "delete", value);
  }

  /** Adds {@code n} to an integer column ({@code next_cfg += 1}). */
  public static Mutation add(String column, long n) {
    return new Mutation(column, "+=", Datum.NODES.numberNode(n));
  }

  ArrayNode toJson() {
    return Datum.NODES.arrayNode().add(column).add(mutator).add(value);
  }
}
