package io.multihome.state.capture;

/** One lexical token of a capture expression, with the index of its first character. */
record Token(Kind kind, String text, int pos) {

  enum Kind {
    IDENTITY,
    NUMBER,
    STRING,
    DOT,
    EQUAL,
    REPLACE,
    PIPE,
    MERGE,
    TRUE,
    FALSE,
    NULL,
    EOF
  }

  /** How the token reads in an error message. */
  String describe() {
    return switch (kind) {
      case EOF -> "end of expression";
      case STRING -> "string \"" + text + "\"";
      case NUMBER -> "number " + text;
      case IDENTITY -> "'" + text + "'";
      default -> "'" + text + "'";
    };
  }
}
