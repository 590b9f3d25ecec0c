package io.multihome.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every manifest in docs/examples is valid and survives a parse/write round trip. */
class DocsExamplesTest {

  private static final Path EXAMPLES = Path.of("..", "docs", "examples");

  static List<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".json"))
          .sorted()
          .toList();
    }
  }

  @Test
  void theExamplesFolderIsNotEmpty() throws IOException {
    assertThat(examples()).hasSizeGreaterThanOrEqualTo(12);
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleIsAValidNncp(Path file) throws IOException {
    var parsed = Documents.read(Files.readString(file));
    assertThat(parsed.error()).isNull();
    assertThat(parsed.documents()).isNotEmpty();
    for (var doc : parsed.documents()) {
      assertThat(doc.path("kind").asText()).isEqualTo(NncpValidator.KIND);
      assertThat(NncpValidator.check(doc)).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleDesiredStateRoundTrips(Path file) throws IOException {
    for (var doc : Documents.read(Files.readString(file)).documents()) {
      var first = StateParser.parse(doc.path("spec").path("desiredState"));
      assertThat(first.problems()).isEmpty();
      var yaml = StateWriter.toYaml(first.state());
      var second = StateParser.parse(yaml);
      assertThat(second.problems()).isEmpty();
      assertThat(second.state()).isEqualTo(first.state());
      assertThat(StateWriter.toYaml(second.state())).isEqualTo(yaml);
    }
  }
}
