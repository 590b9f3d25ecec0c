package io.multihome.state.capture;

import java.util.ArrayList;
import java.util.List;

/** Splits a capture expression into tokens in one left-to-right pass. */
final class CaptureLexer {
  private final String src;
  private int pos;

  private CaptureLexer(String src) {
    this.src = src;
  }

  static List<Token> lex(String src) {
    return new CaptureLexer(src).run();
  }

  private List<Token> run() {
    var tokens = new ArrayList<Token>();
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (Character.isWhitespace(c) || c == '\u00A0') {
        pos++;
      } else if (c == '.') {
        tokens.add(new Token(Token.Kind.DOT, ".", pos++));
      } else if (c == '|') {
        tokens.add(new Token(Token.Kind.PIPE, "|", pos++));
      } else if (c == '+') {
        tokens.add(new Token(Token.Kind.MERGE, "+", pos++));
      } else if (c == '=') {
        tokens.add(operator('=', Token.Kind.EQUAL, "=="));
      } else if (c == ':') {
        tokens.add(operator(':', Token.Kind.REPLACE, ":="));
      } else if (c == '"') {
        tokens.add(string());
      } else if (isDigit(c)) {
        tokens.add(number());
      } else if (isLetter(c)) {
        tokens.add(identity());
      } else if (c == '!') {
        throw new PositionedError(
            pos, "unsupported operator '!': only '==', ':=', '|' and '+' exist");
      } else {
        throw new PositionedError(pos, "unexpected character '" + c + "'");
      }
    }
    tokens.add(new Token(Token.Kind.EOF, "", src.length()));
    return tokens;
  }

  private Token operator(char first, Token.Kind kind, String text) {
    int start = pos;
    if (start + 1 >= src.length() || src.charAt(start + 1) != '=') {
      throw new PositionedError(
          start, "unexpected character '" + first + "': expected '" + text + "'");
    }
    pos += 2;
    return new Token(kind, text, start);
  }

  private Token string() {
    int start = pos;
    int end = src.indexOf('"', start + 1);
    if (end < 0) {
      throw new PositionedError(start, "string is not terminated: no closing '\"'");
    }
    pos = end + 1;
    return new Token(Token.Kind.STRING, src.substring(start + 1, end), start);
  }

  private Token number() {
    int start = pos;
    while (pos < src.length() && isDigit(src.charAt(pos))) {
      pos++;
    }
    return new Token(Token.Kind.NUMBER, src.substring(start, pos), start);
  }

  private Token identity() {
    int start = pos;
    while (pos < src.length() && isIdentityPart(src.charAt(pos))) {
      pos++;
    }
    var text = src.substring(start, pos);
    var kind =
        switch (text) {
          case "true" -> Token.Kind.TRUE;
          case "false" -> Token.Kind.FALSE;
          default -> text.equalsIgnoreCase("null") ? Token.Kind.NULL : Token.Kind.IDENTITY;
        };
    return new Token(kind, text, start);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  // nmstate keys use '-' (next-hop-interface) and, under ovs-db, '_' (external_ids).
  private static boolean isIdentityPart(char c) {
    return isLetter(c) || isDigit(c) || c == '-' || c == '_';
  }
}
