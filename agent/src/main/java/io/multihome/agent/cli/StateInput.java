package io.multihome.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.state.CapturePolicy;
import io.multihome.state.DesiredState;
import io.multihome.state.Documents;
import io.multihome.state.NncpValidator;
import io.multihome.state.PolicyFile;
import io.multihome.state.Problem;
import io.multihome.state.StateParser;
import io.multihome.state.StateValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Reads the desired states {@code apply} takes: bare nmstate states, NNCP manifests (their {@code
 * spec.desiredState}) and nmstate policy files, one or more documents per file, checked against the
 * node's interface names. An NNCP with {@code spec.capture} and a policy file are rendered first:
 * their captures are evaluated against the node's current state, as the policy controller does with
 * the node's NNS. Problems are printed as {@code FILE: path: message}.
 */
final class StateInput {
  private StateInput() {}

  /** One document to apply: where it came from, its state, and the prefix of its paths. */
  record Doc(String label, DesiredState state, String prefix, Rendered rendered) {
    /**
     * {@code problem} as validate prints it: under {@code spec.desiredState} for an NNCP, with the
     * template a rendered value came from.
     */
    String where(Problem problem) {
      var p = prefix == null ? problem : problem.under(prefix);
      return label + ": " + (rendered == null ? p : rendered.policy().withOrigin(p));
    }
  }

  /**
   * A state captures are evaluated against, and where it came from for messages ({@code netns
   * mh-1}, {@code current.yaml}).
   */
  record Current(JsonNode state, String source) {}

  /** Which captures a document's desired state was rendered with, and against what state. */
  record Rendered(CapturePolicy policy, Set<String> captures, String source) {}

  /**
   * The documents, or null after printing every problem.
   *
   * @param current the node's current state for captures; asked at most once, and only when a
   *     document has captures
   */
  static List<Doc> read(
      List<String> files,
      Predicate<String> exists,
      Supplier<Current> current,
      List<String> problems) {
    var once = new Once(current);
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
        var doc = one(parsed.documents().get(i), exists, once, label, problems);
        if (doc != null) {
          docs.add(doc);
        }
      }
    }
    return problems.isEmpty() ? docs : null;
  }

  private static Doc one(
      JsonNode doc, Predicate<String> exists, Once current, String label, List<String> out) {
    boolean nncp = NncpValidator.isManifest(doc);
    List<Problem> problems = new ArrayList<>();
    if (nncp) {
      problems.addAll(NncpValidator.check(doc));
    } else if (PolicyFile.isPolicyFile(doc)) {
      problems.addAll(PolicyFile.check(doc));
    }
    if (!problems.isEmpty()) {
      problems.forEach(p -> out.add(label + ": " + p));
      return null;
    }
    var policy = CapturePolicy.of(doc);
    if (policy != null) {
      return rendered(policy, exists, current, label, out);
    }
    JsonNode stateNode = nncp ? doc.path("spec").path("desiredState") : doc;
    String prefix = nncp ? "spec.desiredState" : null;
    var parsed = StateParser.parse(stateNode);
    problems.addAll(parsed.problems());
    problems.addAll(StateValidator.validate(parsed.state(), exists));
    for (var p : problems) {
      out.add(label + ": " + (prefix == null ? p : p.under(prefix)));
    }
    return problems.isEmpty() ? new Doc(label, parsed.state(), prefix, null) : null;
  }

  /**
   * A document with captures: evaluated against the policy file's own {@code current} state if it
   * has one (as nmstatectl does), else against the node's.
   */
  private static Doc rendered(
      CapturePolicy policy,
      Predicate<String> exists,
      Once current,
      String label,
      List<String> out) {
    var against =
        policy.current() != null
            ? new Current(policy.current(), "the file's current state")
            : current.get();
    var checked = policy.check(against.state(), exists);
    checked.problems().forEach(p -> out.add(label + ": " + p));
    if (!checked.problems().isEmpty()) {
      return null;
    }
    return new Doc(
        label,
        checked.state(),
        policy.desiredPath(),
        new Rendered(policy, checked.captured().keySet(), against.source()));
  }

  /** The current state, read at most once per command whatever the number of documents. */
  private static final class Once {
    private final Supplier<Current> source;
    private Current value;
    private boolean asked;

    Once(Supplier<Current> source) {
      this.source = source;
    }

    Current get() {
      if (!asked) {
        asked = true;
        value = source.get();
      }
      return value;
    }
  }
}
