package io.multihome.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * deploy/crds must be exactly what crd-generator makes of the annotated classes, so that nobody
 * hand-edits a CRD and the Java types never drift from what the cluster validates.
 */
class CrdFilesTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void committedCrdsMatchGeneratedOnes() throws IOException {
    Map<String, Path> generated = CrdFiles.generated();
    assertThat(generated)
        .as("crd-generator output in %s (run the build, not just the IDE)", CrdFiles.generatedDir())
        .hasSize(10);

    if (Boolean.getBoolean("multihome.updateCrds")) {
      refresh(generated);
    }

    List<String> problems = new ArrayList<>();
    Map<String, Path> committed = CrdFiles.committed();
    for (var entry : generated.entrySet()) {
      Path copy = committed.get(entry.getKey());
      if (copy == null) {
        problems.add("missing " + CrdFiles.committedPathFor(entry.getKey()));
        continue;
      }
      firstDifference("", expected(entry.getValue()), YAML.readTree(copy.toFile()))
          .ifPresent(where -> problems.add(copy.getFileName() + " differs at " + where));
    }
    var stale = new TreeSet<>(committed.keySet());
    stale.removeAll(generated.keySet());
    stale.forEach(name -> problems.add("no class generates " + committed.get(name)));

    assertThat(problems)
        .as(
            "deploy/crds is out of date with the annotated classes. Regenerate from the repository"
                + " root with:%n  %s%nthen commit deploy/crds",
            CrdFiles.REGENERATE_COMMAND)
        .isEmpty();
  }

  private static void refresh(Map<String, Path> generated) throws IOException {
    Files.createDirectories(CrdFiles.committedDir());
    for (Path old : CrdFiles.committed().values()) {
      Files.delete(old);
    }
    for (var entry : generated.entrySet()) {
      YAML.writeValue(
          CrdFiles.committedPathFor(entry.getKey()).toFile(), expected(entry.getValue()));
    }
  }

  /** The generated CRD with its printer columns in declared order (see {@link CrdColumnOrder}). */
  private static JsonNode expected(Path generated) throws IOException {
    return CrdColumnOrder.apply((ObjectNode) YAML.readTree(generated.toFile()));
  }

  @Test
  void committedColumnsAreInTheOrderKubectlUsersKnow() throws IOException {
    assertThat(columnNames("nodenetworkconfigurationpolicies.nmstate.io"))
        .containsExactly("Status", "Reason");
    assertThat(columnNames("nodenetworkconfigurationenactments.nmstate.io"))
        .containsExactly("Status", "Status Age", "Reason");
  }

  private static List<String> columnNames(String crd) throws IOException {
    var names = new ArrayList<String>();
    JsonNode tree = YAML.readTree(CrdFiles.committedPathFor(crd).toFile());
    for (JsonNode version : tree.path("spec").path("versions")) {
      if (version.path("storage").asBoolean()) {
        version.path("additionalPrinterColumns").forEach(c -> names.add(c.path("name").asText()));
      }
    }
    return names;
  }

  /** JSON-pointer-like path of the first place the two trees differ, if any. */
  static Optional<String> firstDifference(String path, JsonNode expected, JsonNode actual) {
    if (expected.equals(actual)) {
      return Optional.empty();
    }
    if (expected.isObject() && actual.isObject()) {
      var names = new TreeSet<String>();
      expected.fieldNames().forEachRemaining(names::add);
      actual.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode e = expected.get(name);
        JsonNode a = actual.get(name);
        if (e == null || a == null) {
          return Optional.of(path + "/" + name + (e == null ? " (unexpected)" : " (missing)"));
        }
        Optional<String> inner = firstDifference(path + "/" + name, e, a);
        if (inner.isPresent()) {
          return inner;
        }
      }
    }
    if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
      Iterator<JsonNode> e = expected.elements();
      Iterator<JsonNode> a = actual.elements();
      for (int i = 0; e.hasNext(); i++) {
        Optional<String> inner = firstDifference(path + "/" + i, e.next(), a.next());
        if (inner.isPresent()) {
          return inner;
        }
      }
    }
    return Optional.of(path.isEmpty() ? "/" : path);
  }
}
