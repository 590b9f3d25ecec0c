package io.multihome.agent.engine;

import io.multihome.state.Problem;
import java.util.List;

/** The desired state cannot be planned against this node; nothing was changed. */
public final class PlanException extends RuntimeException {
  private final List<Problem> problems;

  public PlanException(List<Problem> problems) {
    super(problems.isEmpty() ? "invalid desired state" : problems.get(0).toString());
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
