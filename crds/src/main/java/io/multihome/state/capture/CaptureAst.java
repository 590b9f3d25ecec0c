package io.multihome.state.capture;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/** Parsed form of one capture expression; every node keeps the position it came from. */
final class CaptureAst {
  private CaptureAst() {}

  /**
   * A whole expression: an optional input capture ({@code capture.x | ...} or a left-hand path
   * starting with {@code capture.x.}) and one operation applied to it (or to the current state).
   */
  record Expression(String source, Optional<CaptureRef> input, Operation operation) {}

  sealed interface Operation permits PathFilter, EqualFilter, Replace, Merge, WholeState {}

  /**
   * Words without a path or operator ({@code override me with the cache}): nmstate stores the whole
   * current state under the capture's name. nmpolicy has no such form; nmstate's own example
   * ({@code examples/policy/capture_all}) relies on it.
   */
  record WholeState(int pos) implements Operation {}

  /** {@code interfaces.name}: keep only what lies on the path. */
  record PathFilter(Path path) implements Operation {}

  /** {@code interfaces.name == "eth1"}: keep list elements whose value on the path matches. */
  record EqualFilter(Path path, Operand value) implements Operation {}

  /** {@code interfaces.mtu := 1500}: set the field on every element along the path. */
  record Replace(Path path, Operand value) implements Operation {}

  /**
   * {@code capture.a.routes.running + capture.b.routes.running}: the values the references lead to,
   * merged left to right and kept under the name all the paths end with ({@code running}). The
   * parser guarantees at least two operands, each with a path ending in that same name.
   */
  record Merge(List<CaptureRef> operands) implements Operation {
    String name() {
      return ((Key) operands.get(0).path().steps().get(operands.get(0).path().steps().size() - 1))
          .name();
    }
  }

  sealed interface Operand permits Literal, CaptureRef {}

  /** A string, number, boolean or null written in the expression. */
  record Literal(JsonNode value, int pos) implements Operand {}

  /** {@code capture.<name>[.<path>]}; {@code path} is empty for a bare pipe input. */
  record CaptureRef(String name, int namePos, Path path) implements Operand {}

  record Path(List<Step> steps) {
    boolean isEmpty() {
      return steps.isEmpty();
    }
  }

  sealed interface Step permits Key, Index {
    int pos();
  }

  record Key(String name, int pos) implements Step {}

  record Index(int index, int pos) implements Step {}
}
