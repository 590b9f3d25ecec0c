package io.multihome.state.capture;

import com.fasterxml.jackson.databind.JsonNode;

/** Equality as the {@code ==} filter understands it. */
final class ValueMatch {
  private ValueMatch() {}

  /**
   * Numbers compare by value (1500 == 1500.0), strings and booleans exactly. {@code null} matches a
   * missing or null field; otherwise a missing field never matches. Comparing different kinds (a
   * string field with a number) is an error, as in nmpolicy, because it is always a typo.
   */
  static boolean matches(JsonNode obtained, JsonNode expected, String key, int valuePos) {
    if (expected.isNull()) {
      return obtained == null || obtained.isNull();
    }
    if (obtained == null || obtained.isNull()) {
      return false;
    }
    if (obtained.isNumber() && expected.isNumber()) {
      return obtained.decimalValue().compareTo(expected.decimalValue()) == 0;
    }
    if (obtained.getNodeType() != expected.getNodeType()) {
      throw new PositionedError(
          valuePos,
          "type mismatch: '"
              + key
              + "' is "
              + StateWalker.kind(obtained)
              + " ("
              + obtained
              + ") but is compared with "
              + StateWalker.kind(expected)
              + " ("
              + expected
              + ")");
    }
    return obtained.equals(expected);
  }
}
