package io.multihome.state;

import java.util.List;

/**
 * A parsed desired state and the structural problems found while reading it (unknown fields, wrong
 * value types, missing required keys). {@code state} is always built, best effort, so that
 * validation can still report semantic problems of the rest of the document.
 */
public record ParseResult(DesiredState state, List<Problem> problems) {
  public ParseResult {
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return problems.isEmpty();
  }
}
