package io.multihome.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.multihome.state.DesiredState;
import io.multihome.state.Problem;
import io.multihome.state.StateParser;
import java.io.IOException;
import org.assertj.core.api.ListAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** What the engine tests share: parsing a desired state, and the problems of a refused plan. */
final class EngineAssertions {
  private EngineAssertions() {}

  /** {@code yaml} parsed, asserting that it has no problems. */
  static DesiredState state(String yaml) throws IOException {
    var parsed = StateParser.parse(yaml);
    assertThat(parsed.problems()).isEmpty();
    return parsed.state();
  }

  /**
   * Asserts that {@code plan} throws a {@link PlanException} and returns an assert on its problems
   * as text ({@code path: message}).
   */
  /** The paths of the problems {@code plan} is refused with ({@link PlanException}). */
  static ListAssert<String> assertRefusedAt(ThrowingCallable plan) {
    var thrown = catchThrowable(plan);
    assertThat(thrown).isInstanceOf(PlanException.class);
    return assertThat(((PlanException) thrown).problems().stream().map(Problem::path).toList());
  }

  static ListAssert<String> assertRefused(ThrowingCallable plan) {
    var thrown = catchThrowable(plan);
    assertThat(thrown).isInstanceOf(PlanException.class);
    return assertThat(((PlanException) thrown).problems().stream().map(Problem::toString).toList());
  }
}
