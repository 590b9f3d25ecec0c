package io.multihome.state.capture;

import io.multihome.state.capture.CaptureAst.CaptureRef;
import io.multihome.state.capture.CaptureAst.EqualFilter;
import io.multihome.state.capture.CaptureAst.Merge;
import io.multihome.state.capture.CaptureAst.Replace;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks capture expressions without a node state, e.g. for {@code multihome validate} or an
 * admission check: syntax, references to other captures and reference cycles. Whether a filter
 * matches anything and whether a referenced path exists are known only when evaluating against a
 * state.
 */
public final class CaptureSyntax {
  private CaptureSyntax() {}

  /**
   * @param name the capture name, used in the message
   * @param expression the nmpolicy expression
   * @return the error the evaluator would report for this expression's syntax, or empty if valid
   */
  public static Optional<CaptureException> check(String name, String expression) {
    try {
      CaptureParser.parse(expression);
      return Optional.empty();
    } catch (PositionedError e) {
      return Optional.of(e.toCaptureException("capture " + name, expression));
    }
  }

  /** Same as {@link #check(String, String)} for an expression that has no name yet. */
  public static Optional<CaptureException> check(String expression) {
    try {
      CaptureParser.parse(expression);
      return Optional.empty();
    } catch (PositionedError e) {
      return Optional.of(e.toCaptureException("capture", expression));
    }
  }

  /**
   * Checks a whole {@code spec.capture}: every expression's syntax, then references to unknown
   * captures and reference cycles, all without a state. Returns the first error by capture name,
   * with the same message the evaluator would give.
   */
  public static Optional<CaptureException> checkAll(Map<String, String> capture) {
    var sorted = new TreeMap<>(capture);
    var references = new TreeMap<String, List<CaptureRef>>();
    for (var entry : sorted.entrySet()) {
      var name = entry.getKey();
      try {
        references.put(name, references(CaptureParser.parse(entry.getValue())));
      } catch (PositionedError e) {
        return Optional.of(e.toCaptureException("capture " + name, entry.getValue()));
      }
    }
    var done = new HashSet<String>();
    for (var name : sorted.keySet()) {
      var error = visit(name, sorted, references, new ArrayList<>(), done);
      if (error.isPresent()) {
        return error;
      }
    }
    return Optional.empty();
  }

  /**
   * Every problem of a whole {@code spec.capture} that shows without a state, at most one per
   * capture, ordered by capture name: syntax errors first, then references to unknown captures,
   * then reference cycles (reported once, at the capture that closes the cycle). Messages are the
   * ones the evaluator would give.
   */
  public static List<CaptureException> checkEach(Map<String, String> capture) {
    var sorted = new TreeMap<>(capture);
    var errors = new TreeMap<String, CaptureException>();
    var references = new TreeMap<String, List<CaptureRef>>();
    for (var entry : sorted.entrySet()) {
      try {
        references.put(entry.getKey(), references(CaptureParser.parse(entry.getValue())));
      } catch (PositionedError e) {
        errors.put(
            entry.getKey(), e.toCaptureException("capture " + entry.getKey(), entry.getValue()));
      }
    }
    var syntax = List.copyOf(errors.values());
    errors.clear();
    references.forEach(
        (name, refs) ->
            refs.stream()
                .filter(ref -> !sorted.containsKey(ref.name()))
                .findFirst()
                .ifPresent(
                    ref ->
                        errors.put(
                            name,
                            new CaptureException(
                                "capture " + name,
                                sorted.get(name),
                                ref.namePos(),
                                "reference to unknown capture '"
                                    + ref.name()
                                    + "'; known captures: "
                                    + sorted.keySet()))));
    var unknown = List.copyOf(errors.values());
    // Cycles among the captures that parsed, following only references to those.
    var parsed = new TreeMap<String, String>();
    var edges = new TreeMap<String, List<CaptureRef>>();
    references.forEach(
        (name, refs) -> {
          parsed.put(name, sorted.get(name));
          edges.put(name, refs.stream().filter(r -> references.containsKey(r.name())).toList());
        });
    var done = new HashSet<String>();
    var cycles = new ArrayList<CaptureException>();
    for (var name : parsed.keySet()) {
      var path = new ArrayList<String>();
      var cycle = visit(name, parsed, edges, path, done);
      if (cycle.isPresent()) {
        cycles.add(cycle.get());
        done.addAll(path); // one report per cycle, not one per member
      }
    }
    var all = new ArrayList<CaptureException>(syntax);
    all.addAll(unknown);
    all.addAll(cycles);
    return all;
  }

  private static Optional<CaptureException> visit(
      String name,
      Map<String, String> capture,
      Map<String, List<CaptureRef>> references,
      List<String> path,
      Set<String> done) {
    if (done.contains(name)) {
      return Optional.empty();
    }
    path.add(name);
    for (var ref : references.get(name)) {
      String problem = null;
      if (!capture.containsKey(ref.name())) {
        problem =
            "reference to unknown capture '"
                + ref.name()
                + "'; known captures: "
                + capture.keySet();
      } else if (path.contains(ref.name())) {
        var cycle = new ArrayList<>(path.subList(path.indexOf(ref.name()), path.size()));
        cycle.add(ref.name());
        problem = "circular capture reference: " + String.join(" -> ", cycle);
      }
      if (problem != null) {
        return Optional.of(
            new CaptureException("capture " + name, capture.get(name), ref.namePos(), problem));
      }
      var nested = visit(ref.name(), capture, references, path, done);
      if (nested.isPresent()) {
        return nested;
      }
    }
    path.remove(path.size() - 1);
    done.add(name);
    return Optional.empty();
  }

  /** Captures an expression reads, in the order the evaluator reads them. */
  private static List<CaptureRef> references(CaptureAst.Expression expression) {
    var refs = new ArrayList<CaptureRef>();
    expression.input().ifPresent(refs::add);
    var operation = expression.operation();
    if (operation instanceof EqualFilter filter && filter.value() instanceof CaptureRef ref) {
      refs.add(ref);
    } else if (operation instanceof Replace replace && replace.value() instanceof CaptureRef ref) {
      refs.add(ref);
    } else if (operation instanceof Merge merge) {
      refs.addAll(merge.operands());
    }
    return refs;
  }
}
