package io.multihome.sriov.policy;

import java.util.List;
import java.util.stream.Collectors;

/** Bad user input: permanent, so callers report it on status instead of retrying. */
public final class InvalidResourceException extends RuntimeException {
  private final transient List<FieldError> errors;

  public InvalidResourceException(String what, List<FieldError> errors) {
    super(
        what
            + " is invalid: "
            + errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }
}
