package io.multihome.agent.cli;

import io.multihome.state.CurrentStates;
import io.multihome.state.Documents;
import io.multihome.state.NncpValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code validate --current FILE}: a node's state to evaluate captures against. Takes what people
 * have at hand: {@code multihome show} or {@code nmstatectl show} output, or a NodeNetworkState
 * manifest ({@code kubectl get nns NODE -o yaml}; its {@code status.currentState} is used). Missing
 * {@code routes.running} and {@code dns-resolver.running} are filled from {@code config} as the
 * agent does for its NNS, so captures read the same shape whatever the source.
 */
final class CurrentStateFile {
  private CurrentStateFile() {}

  /** The state read, or why not. */
  record Read(StateInput.Current current, String problem) {}

  static Read read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return new Read(null, "cannot read: " + e.getMessage());
    }
    var parsed = Documents.read(text);
    if (parsed.error() != null) {
      return new Read(null, parsed.error());
    }
    if (parsed.documents().size() != 1) {
      return new Read(
          null, "--current takes one state document, found " + parsed.documents().size());
    }
    var doc = parsed.documents().get(0);
    var source = file.toString();
    if (NncpValidator.isManifest(doc)) {
      if (!"NodeNetworkState".equals(doc.path("kind").asText())) {
        return new Read(
            null,
            "--current takes a state or a NodeNetworkState, not a " + doc.path("kind").asText());
      }
      doc = doc.path("status").path("currentState");
      source = file + " (status.currentState)";
    }
    if (!doc.isObject()) {
      return new Read(null, "--current: the state must be a mapping (interfaces, routes, ...)");
    }
    return new Read(new StateInput.Current(CurrentStates.withRunning(doc), source), null);
  }
}
