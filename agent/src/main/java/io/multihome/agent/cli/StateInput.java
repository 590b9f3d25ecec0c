package io.multihome.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.state.DesiredState;
import io.multihome.state.Documents;
import io.multihome.state.NncpValidator;
import io.multihome.state.Problem;
import io.multihome.state.StateParser;
import io.multihome.state.StateValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads the desired states {@code apply} takes: bare nmstate states or NNCP manifests (their {@code
 * spec.desiredState}), one or more documents per file, checked against the node's interface names.
 * Problems are printed as {@code FILE: path: message}.
 */
final class StateInput {
  private StateInput() {}

  /** One document to apply: where it came from and its state. */
  record Doc(String label, DesiredState state, String prefix) {
    /** {@code problem} as validate prints it: under {@code spec.desiredState} for an NNCP. */
    String where(Problem problem) {
      return label + ": " + (prefix == null ? problem : problem.under(prefix));
    }
  }

  /** The documents, or null after printing every problem. */
  static List<Doc> read(List<String> files, Predicate<String> exists, List<String> problems) {
    var docs = new ArrayList<Doc>();
    for (var file : files) {
      String text;
      try {
        text =
            file.equals("-")
                ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                : Files.readString(Path.of(file), StandardCharsets.UTF_8);
      } catch (IOException e) {
        problems.add(file + ": cannot read: " + e.getMessage());
        continue;
      }
      var parsed = Documents.read(text);
      if (parsed.error() != null) {
        problems.add(file + ": " + parsed.error());
        continue;
      }
      if (parsed.documents().isEmpty()) {
        problems.add(file + ": no YAML or JSON document found");
      }
      for (int i = 0; i < parsed.documents().size(); i++) {
        var label = parsed.documents().size() > 1 ? file + "#" + (i + 1) : file;
        var doc = one(parsed.documents().get(i), exists, label, problems);
        if (doc != null) {
          docs.add(doc);
        }
      }
    }
    return problems.isEmpty() ? docs : null;
  }

  private static Doc one(JsonNode doc, Predicate<String> exists, String label, List<String> out) {
    boolean nncp = doc.isObject() && (doc.has("apiVersion") || doc.has("kind"));
    List<Problem> problems = new ArrayList<>();
    JsonNode stateNode = doc;
    if (nncp) {
      problems.addAll(NncpValidator.check(doc));
      var capture = doc.path("spec").path("capture");
      if (capture.isObject() && capture.size() > 0) {
        problems.add(
            new Problem(
                "spec.capture",
                "capture templates need a node's current state to render; use the controller"
                    + " (multihome apply takes rendered states)"));
      }
      stateNode = doc.path("spec").path("desiredState");
    }
    DesiredState state = null;
    if (problems.isEmpty()) {
      var parsed = StateParser.parse(stateNode);
      problems.addAll(parsed.problems());
      problems.addAll(StateValidator.validate(parsed.state(), exists));
      state = parsed.state();
      if (nncp) {
        problems.replaceAll(p -> p.under("spec.desiredState"));
      }
    }
    for (var p : problems) {
      out.add(label + ": " + p);
    }
    return problems.isEmpty() ? new Doc(label, state, nncp ? "spec.desiredState" : null) : null;
  }
}
