package io.multihome.controller.capture;

import java.util.Optional;

/**
 * Checks capture expressions without a node state, e.g. for {@code multihome validate} or an
 * admission check. Only syntax is checked: references to other captures and paths into the state
 * are resolved at evaluation time.
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
}
