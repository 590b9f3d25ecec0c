package io.multihome.agent.cli;

import io.multihome.state.Documents;
import io.multihome.state.NncpValidator;
import io.multihome.state.Problem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code multihome validate [--current FILE] FILE...}: checks NodeNetworkConfigurationPolicy
 * manifests (one or more YAML documents per file), nmstate policy files or bare nmstate desired
 * states, printing every problem as {@code FILE: path: message}. Exit code 0 when all files are
 * valid, 2 when any is not.
 *
 * <p>Captures need a node's state to evaluate. Without one, their syntax, the references between
 * them and the desired state's templates are checked, and a note says what was not. With {@code
 * --current FILE} (or a policy file's own {@code current}) they are evaluated and the rendered
 * state is checked as {@code apply} would check it.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check NodeNetworkConfigurationPolicy manifests or bare nmstate desired states.",
      "Prints every problem as FILE: path: message (FILE#N for the N-th document of a"
          + " multi-document file). Exit code 0 when valid, 2 when not."
    })
public final class ValidateCommand implements Callable<Integer> {

  static final int INVALID = 2;

  @Option(
      names = "--current",
      paramLabel = "FILE",
      description =
          "A node's current state to evaluate captures against: 'multihome show' or 'nmstatectl"
              + " show' output, or a NodeNetworkState manifest.")
  Path currentFile;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "YAML or JSON files; - for stdin")
  List<String> files;

  private StateInput.Current current;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    if (currentFile != null) {
      var read = CurrentStateFile.read(currentFile);
      if (read.problem() != null) {
        out.println(currentFile + ": " + read.problem());
        out.flush();
        return INVALID;
      }
      current = read.current();
    }
    boolean valid = true;
    for (var file : files) {
      valid &= validateFile(file, out);
    }
    out.flush();
    return valid ? 0 : INVALID;
  }

  private boolean validateFile(String file, PrintWriter out) {
    String text;
    try {
      text =
          file.equals("-")
              ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
              : Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      out.println(file + ": no such file");
      return false;
    } catch (CharacterCodingException e) {
      out.println(file + ": not UTF-8 text");
      return false;
    } catch (IOException e) {
      out.println(file + ": cannot read: " + e.getMessage());
      return false;
    }
    var parsed = Documents.read(text);
    var docs = parsed.documents();
    boolean valid = parsed.error() == null;
    if (docs.isEmpty() && parsed.error() == null) {
      out.println(file + ": no YAML or JSON document found");
      return false;
    }
    for (int i = 0; i < docs.size(); i++) {
      var label = docs.size() > 1 || parsed.error() != null ? file + "#" + (i + 1) : file;
      List<Problem> problems;
      try {
        problems = NncpValidator.checkDocument(docs.get(i));
      } catch (RuntimeException e) {
        // A bug in a check must not hide the other files' results behind a stack trace.
        out.println(label + ": internal error while checking this document: " + e);
        valid = false;
        continue;
      }
      if (problems.isEmpty()) {
        problems = CaptureCheck.run(docs.get(i), current, label, out);
      }
      for (var p : problems) {
        out.println(label + ": " + p);
      }
      valid &= problems.isEmpty();
    }
    if (parsed.error() != null) {
      out.println(file + ": " + parsed.error());
    }
    if (valid) {
      out.println(file + ": valid" + (docs.size() > 1 ? " (" + docs.size() + " documents)" : ""));
    }
    return valid;
  }
}
