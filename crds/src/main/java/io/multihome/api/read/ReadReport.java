package io.multihome.api.read;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How a stored object was read. {@code problems} are values the model could not take (a wrong type,
 * an unknown enum value): the field reads as absent, and the object is invalid. {@code
 * ignoredFields} are fields the model does not know; an API server with the CRD would have pruned
 * them, so they are not problems (an upstream example's {@code metaPluginsConfig} is one).
 */
public record ReadReport(List<ReadProblem> problems, List<String> ignoredFields) {
  public static final ReadReport CLEAN = new ReadReport(List.of(), List.of());

  public ReadReport {
    problems = List.copyOf(problems);
    ignoredFields = List.copyOf(ignoredFields);
  }

  public boolean valid() {
    return problems.isEmpty();
  }

  /** The problems at {@code prefix} or below it (e.g. {@code "spec"}, {@code "status"}). */
  public List<ReadProblem> problemsUnder(String prefix) {
    return problems.stream().filter(p -> under(p, prefix)).toList();
  }

  /**
   * The problems anywhere but below {@code prefix}: for a controller, what the user wrote (a status
   * it writes itself is simply overwritten).
   */
  public List<ReadProblem> problemsOutside(String prefix) {
    return problems.stream().filter(p -> !under(p, prefix)).toList();
  }

  private static boolean under(ReadProblem p, String prefix) {
    return p.path().equals(prefix)
        || p.path().startsWith(prefix + ".")
        || p.path().startsWith(prefix + "[");
  }

  /** "path: reason; path: reason" — what a condition or an event says. */
  public static String describe(List<ReadProblem> problems) {
    return problems.stream().map(ReadProblem::toString).collect(Collectors.joining("; "));
  }

  /**
   * What the agent and the controllers say about an object they cannot read as a whole: "Kind name
   * has fields that cannot be read: path: why; ...; consequence".
   */
  public static String describe(
      HasMetadata object, List<ReadProblem> problems, String consequence) {
    return object.getKind()
        + " "
        + object.getMetadata().getName()
        + " has fields that cannot be read: "
        + describe(problems)
        + "; "
        + consequence;
  }

  /** The report of {@code resource}; {@link #CLEAN} for objects not read by the lenient reader. */
  public static ReadReport of(Object resource) {
    return resource instanceof LenientlyRead l && l.readReport() != null ? l.readReport() : CLEAN;
  }
}
