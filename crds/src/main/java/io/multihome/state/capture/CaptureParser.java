package io.multihome.state.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.multihome.state.capture.CaptureAst.CaptureRef;
import io.multihome.state.capture.CaptureAst.EqualFilter;
import io.multihome.state.capture.CaptureAst.Expression;
import io.multihome.state.capture.CaptureAst.Index;
import io.multihome.state.capture.CaptureAst.Key;
import io.multihome.state.capture.CaptureAst.Literal;
import io.multihome.state.capture.CaptureAst.Merge;
import io.multihome.state.capture.CaptureAst.Operand;
import io.multihome.state.capture.CaptureAst.Operation;
import io.multihome.state.capture.CaptureAst.Path;
import io.multihome.state.capture.CaptureAst.PathFilter;
import io.multihome.state.capture.CaptureAst.Replace;
import io.multihome.state.capture.CaptureAst.Step;
import io.multihome.state.capture.CaptureAst.WholeState;
import io.multihome.state.capture.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Recursive-descent parser for the nmpolicy capture grammar (one token of look-ahead, so linear in
 * the expression length):
 *
 * <pre>
 * expression := [ capture "." id "|" ] operation | merge
 * operation  := path [ ("==" | ":=") value ]
 * merge      := capture "." id "." path ( "+" capture "." id "." path )+
 * path       := identity ( "." ( identity | number ) )*
 * value      := string | number | true | false | null | capture "." id "." path
 * </pre>
 *
 * A left-hand path may itself start with {@code capture.<id>.}, which reads the named capture
 * instead of the current state (as nmstate does).
 */
final class CaptureParser {
  static final String CAPTURE = "capture";

  private final String source;
  private final List<Token> tokens;
  private int next;

  private CaptureParser(String source, List<Token> tokens) {
    this.source = source;
    this.tokens = tokens;
  }

  /** Parses {@code source}; failures carry the position of the offending character. */
  static Expression parse(String source) {
    return new CaptureParser(source, CaptureLexer.lex(source)).expression();
  }

  /** Parses a template body such as {@code capture.base-iface.interfaces.0.name}. */
  static CaptureRef parseReference(String source) {
    var parser = new CaptureParser(source, CaptureLexer.lex(source));
    var first = parser.peek();
    if (!isCaptureKeyword(first)) {
      throw new PositionedError(
          first.pos(), "a reference must start with 'capture.<name>', found " + first.describe());
    }
    var ref = parser.captureRef();
    parser.expect(Kind.EOF, "end of reference");
    return ref;
  }

  private Expression expression() {
    if (plainWords()) {
      return new Expression(source, Optional.empty(), new WholeState(peek().pos()));
    }
    Optional<CaptureRef> input = Optional.empty();
    Path path;
    var first = peek();
    if (isCaptureKeyword(first)) {
      var ref = captureRef();
      if (peek().kind() == Kind.MERGE) {
        var merge = merge(ref);
        expect(Kind.EOF, "end of expression");
        return new Expression(source, Optional.empty(), merge);
      }
      if (peek().kind() == Kind.PIPE) {
        if (!ref.path().isEmpty()) {
          throw new PositionedError(
              ref.path().steps().get(0).pos(),
              "the input of a pipe must be 'capture.<name>' without a path");
        }
        var pipe = advance();
        input = Optional.of(ref);
        if (isCaptureKeyword(peek())) {
          throw new PositionedError(
              peek().pos(),
              "a pipe feeds one capture; the path after '|' cannot start with 'capture'");
        }
        if (peek().kind() == Kind.EOF) {
          throw new PositionedError(pipe.pos(), "nothing after the pipe: expected a path");
        }
        path = path();
      } else {
        if (ref.path().isEmpty()) {
          throw new PositionedError(
              peek().pos(), "expected '.<path>' or '|' after 'capture." + ref.name() + "'");
        }
        input = Optional.of(new CaptureRef(ref.name(), ref.namePos(), new Path(List.of())));
        path = ref.path();
      }
    } else {
      path = path();
    }
    Operation operation = operation(path);
    expect(Kind.EOF, "end of expression");
    return new Expression(source, input, operation);
  }

  /**
   * Two or more bare words and nothing else: nmstate's "capture the whole state" form. One word
   * stays a path filter ({@code interfaces} keeps only the interfaces), as in nmpolicy.
   */
  private boolean plainWords() {
    if (tokens.size() < 3) {
      return false;
    }
    for (var token : tokens.subList(0, tokens.size() - 1)) {
      var kind = token.kind();
      if (kind != Kind.IDENTITY && kind != Kind.NUMBER && !isKeywordLike(token)) {
        return false;
      }
    }
    return true;
  }

  private Operation operation(Path path) {
    var token = peek();
    return switch (token.kind()) {
      case EQUAL -> {
        advance();
        yield new EqualFilter(path, value());
      }
      case REPLACE -> {
        advance();
        yield new Replace(path, value());
      }
      case MERGE ->
          throw new PositionedError(
              path.steps().get(0).pos(),
              "the left side of '+' must be 'capture.<name>.<path>': '+' merges captured values");
      default -> new PathFilter(path);
    };
  }

  /**
   * {@code capture.a.<path> ( + capture.b.<path> )+}, {@code first} already read. Every path must
   * end with the same name, which names the result.
   */
  private Merge merge(CaptureRef first) {
    var operands = new ArrayList<CaptureRef>();
    operands.add(mergeOperand(first, peek()));
    while (peek().kind() == Kind.MERGE) {
      advance();
      var token = peek();
      if (token.kind() == Kind.EOF) {
        throw new PositionedError(
            token.pos(), "unexpected end: expected 'capture.<name>.<path>' after '+'");
      }
      if (!isCaptureKeyword(token)) {
        throw new PositionedError(
            token.pos(),
            "the right side of '+' must be 'capture.<name>.<path>', found " + token.describe());
      }
      var ref = captureRef();
      operands.add(mergeOperand(ref, peek()));
    }
    var name = lastKey(operands.get(0));
    for (var operand : operands.subList(1, operands.size())) {
      var last = lastKey(operand);
      if (!last.name().equals(name.name())) {
        throw new PositionedError(
            last.pos(),
            "every side of '+' must end with the same name, which names the result: '"
                + name.name()
                + "' and '"
                + last.name()
                + "'");
      }
    }
    return new Merge(List.copyOf(operands));
  }

  private static CaptureRef mergeOperand(CaptureRef ref, Token after) {
    if (ref.path().isEmpty()) {
      throw new PositionedError(
          after.pos(),
          "expected '.<path>' after 'capture."
              + ref.name()
              + "': each side of '+' is 'capture.<name>.<path>'");
    }
    return ref;
  }

  private static Key lastKey(CaptureRef ref) {
    var steps = ref.path().steps();
    var last = steps.get(steps.size() - 1);
    if (last instanceof Key key) {
      return key;
    }
    throw new PositionedError(
        last.pos(), "a path merged with '+' must end with a name, which names the result");
  }

  private Operand value() {
    var token = peek();
    var json = JsonNodeFactory.instance;
    return switch (token.kind()) {
      case STRING -> new Literal(json.textNode(advance().text()), token.pos());
      case NUMBER -> new Literal(json.numberNode(longValue(advance())), token.pos());
      case TRUE, FALSE, NULL -> {
        advance();
        JsonNode literal =
            token.kind() == Kind.NULL
                ? json.nullNode()
                : json.booleanNode(token.kind() == Kind.TRUE);
        yield new Literal(literal, token.pos());
      }
      case IDENTITY -> {
        if (!isCaptureKeyword(token)) {
          throw new PositionedError(
              token.pos(),
              "expected a value (\"string\", number, true, false, null or capture.<name>.<path>),"
                  + " found "
                  + token.describe()
                  + "; strings must be quoted");
        }
        var ref = captureRef();
        if (ref.path().isEmpty()) {
          throw new PositionedError(
              peek().pos(), "expected '.<path>' after 'capture." + ref.name() + "'");
        }
        yield ref;
      }
      case EOF -> throw new PositionedError(token.pos(), "unexpected end: expected a value");
      default ->
          throw new PositionedError(token.pos(), "expected a value, found " + token.describe());
    };
  }

  /** {@code capture . name ( . step )*} */
  private CaptureRef captureRef() {
    advance(); // the 'capture' keyword
    expect(Kind.DOT, "'.' after 'capture'");
    var name = peek();
    if (name.kind() != Kind.IDENTITY && !isKeywordLike(name)) {
      throw new PositionedError(
          name.pos(), "expected a capture name after 'capture.', found " + name.describe());
    }
    advance();
    var steps = new ArrayList<Step>();
    while (peek().kind() == Kind.DOT) {
      advance();
      steps.add(step());
    }
    return new CaptureRef(name.text(), name.pos(), new Path(List.copyOf(steps)));
  }

  private Path path() {
    var first = peek();
    if (first.kind() == Kind.EOF) {
      throw new PositionedError(first.pos(), "unexpected end: expected a path");
    }
    if (first.kind() != Kind.IDENTITY && !isKeywordLike(first)) {
      throw new PositionedError(
          first.pos(), "a path must start with a name, found " + first.describe());
    }
    var steps = new ArrayList<Step>();
    steps.add(new Key(advance().text(), first.pos()));
    while (peek().kind() == Kind.DOT) {
      advance();
      steps.add(step());
    }
    return new Path(List.copyOf(steps));
  }

  private Step step() {
    var token = peek();
    if (token.kind() == Kind.NUMBER) {
      advance();
      return new Index(number(token), token.pos());
    }
    if (token.kind() == Kind.IDENTITY || isKeywordLike(token)) {
      advance();
      return new Key(token.text(), token.pos());
    }
    if (token.kind() == Kind.EOF) {
      throw new PositionedError(token.pos(), "unexpected end: expected a name or index after '.'");
    }
    throw new PositionedError(
        token.pos(), "expected a name or index after '.', found " + token.describe());
  }

  private static int number(Token token) {
    try {
      return Integer.parseInt(token.text());
    } catch (NumberFormatException e) {
      throw new PositionedError(token.pos(), "number " + token.text() + " is too large");
    }
  }

  private static long longValue(Token token) {
    try {
      return Long.parseLong(token.text());
    } catch (NumberFormatException e) {
      throw new PositionedError(token.pos(), "number " + token.text() + " is too large");
    }
  }

  private Token expect(Kind kind, String what) {
    var token = peek();
    if (token.kind() != kind) {
      throw new PositionedError(
          token.pos(), "unexpected " + token.describe() + ": expected " + what);
    }
    return advance();
  }

  private Token peek() {
    return tokens.get(next);
  }

  private Token advance() {
    return tokens.get(next++);
  }

  private static boolean isCaptureKeyword(Token token) {
    return token.kind() == Kind.IDENTITY && token.text().equals(CAPTURE);
  }

  // Keys such as "true" never occur in nmstate, but a path step is a name whatever it spells.
  private static boolean isKeywordLike(Token token) {
    return token.kind() == Kind.TRUE || token.kind() == Kind.FALSE || token.kind() == Kind.NULL;
  }
}
