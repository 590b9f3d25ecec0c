package io.multihome.state.capture;

/**
 * Internal failure with the character position it refers to; the caller that knows the capture name
 * and the expression turns it into a {@link CaptureException}.
 */
final class PositionedError extends RuntimeException {
  private final int position;

  PositionedError(int position, String reason) {
    super(reason, null, false, false);
    this.position = position;
  }

  int position() {
    return position;
  }

  CaptureException toCaptureException(String subject, String expression) {
    return new CaptureException(subject, expression, position, getMessage());
  }
}
