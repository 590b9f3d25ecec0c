package io.multihome.controller.nncp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.api.nmstate.CapturedState;
import java.util.Map;
import java.util.Objects;

/** What rendering a policy for one node produced: a state to apply, or why there is none. */
public sealed interface RenderResult {

  static RenderResult rendered(ObjectNode desiredState, Map<String, CapturedState> captured) {
    return new Rendered(desiredState, captured);
  }

  static RenderResult failed(String message) {
    return new Failed(message);
  }

  /** The per-node desired state and every capture it used (cached in the enactment). */
  record Rendered(ObjectNode desiredState, Map<String, CapturedState> capturedStates)
      implements RenderResult {
    public Rendered {
      Objects.requireNonNull(desiredState, "desiredState");
      capturedStates = capturedStates == null ? Map.of() : Map.copyOf(capturedStates);
    }
  }

  /** A message for the user, e.g. an nmpolicy error with the expression and a caret. */
  record Failed(String message) implements RenderResult {
    public Failed {
      Objects.requireNonNull(message, "message");
    }
  }
}
