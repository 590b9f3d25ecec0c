package io.multihome.state.capture;

/**
 * A capture expression or a capture reference that cannot be parsed or evaluated. The message
 * follows nmpolicy's layout so users recognise it: what went wrong, then the offending expression
 * and a caret under the failing character.
 *
 * <pre>
 * capture default-gw: unsupported operator '!': only '==', ':=', '|' and '+' exist
 * | routes.running.destination!="0.0.0.0/0"
 * | ..........................^
 * </pre>
 *
 * <p>These errors are permanent (bad input): retrying with the same policy gives the same error.
 */
public final class CaptureException extends RuntimeException {
  private final String subject;
  private final String expression;
  private final int position;
  private final String reason;

  /**
   * @param subject what the expression belongs to, e.g. {@code capture default-gw} or a
   *     desiredState field path
   * @param expression the offending expression, as written
   * @param position 0-based character index of the failure; {@code expression.length()} means "at
   *     the end"
   * @param reason what went wrong
   */
  public CaptureException(String subject, String expression, int position, String reason) {
    super(format(subject, expression, position, reason));
    this.subject = subject;
    this.expression = expression;
    this.position = position;
    this.reason = reason;
  }

  public String subject() {
    return subject;
  }

  public String expression() {
    return expression;
  }

  /** 0-based index of the character the caret points at. */
  public int position() {
    return position;
  }

  public String reason() {
    return reason;
  }

  /**
   * The expression and the caret under the failing character, two lines without the subject, for
   * callers that name the place themselves (e.g. {@code FILE: spec.capture.gw: <reason>}).
   */
  public String snippet() {
    return snippet(expression, position);
  }

  /** The reason followed by the snippet: the message without the subject. */
  public String reasonWithSnippet() {
    return reason + "\n" + snippet();
  }

  private static String snippet(String expression, int position) {
    // One character for one: a line break or tab written in a YAML block shows as a blank, so the
    // caret stays under the character it points at.
    var shown = expression.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    return "| " + shown + "\n| " + ".".repeat(position) + "^";
  }

  private static String format(String subject, String expression, int position, String reason) {
    return subject + ": " + reason + "\n" + snippet(expression, position);
  }
}
