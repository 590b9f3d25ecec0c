package io.multihome.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * nmstate's 13 policy examples (src/test/resources/upstream/nmstate-policy, copied unchanged): each
 * {@code policy.yml} is a valid policy file as far as captures go, and rendering it against its
 * {@code current.yml} gives a state that holds everything nmstate's {@code expected.yml} holds.
 * nmstate reduces its result to what differs from the current state, so the rendered state may hold
 * more (unchanged interfaces, unchanged keys), never less or other values.
 */
class NmstatePolicyExamplesTest {
  static final Path ROOT = Path.of("src/test/resources/upstream/nmstate-policy");

  /**
   * Keys nmstate's model adds or renames while reading, which no capture produces: the profile name
   * it gives an interface it will match by MAC, and bond option spellings it normalises ({@code
   * balance-slb: 1} becomes {@code balance_slb: true}).
   */
  static final Set<String> MODEL_KEYS = Set.of("profile-name", "balance_slb");

  /**
   * nmstate's diff names each changed interface with its current type and state; a rendered
   * interface that does not set them leaves them as they are, which is the same.
   */
  static final Set<String> FROM_CURRENT = Set.of("type", "state");

  static Stream<String> examples() throws IOException {
    try (var dirs = Files.list(ROOT)) {
      return dirs
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  static JsonNode yaml(String example, String file) throws IOException {
    var parsed = Documents.read(Files.readString(ROOT.resolve(example).resolve(file)));
    assertThat(parsed.error()).isNull();
    assertThat(parsed.documents()).hasSize(1);
    return parsed.documents().get(0);
  }

  @ParameterizedTest
  @MethodSource("examples")
  void capturesAndTemplatesPassTheChecksThatNeedNoState(String example) throws IOException {
    var doc = yaml(example, "policy.yml");
    assertThat(PolicyFile.isPolicyFile(doc)).isTrue();
    var captureProblems =
        PolicyFile.check(doc).stream()
            .filter(p -> p.path().startsWith("capture") || p.message().contains("capture"))
            .toList();
    assertThat(captureProblems).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void rendersWhatNmstateExpects(String example) throws IOException {
    var policy = CapturePolicy.of(yaml(example, "policy.yml"));
    var rendered = policy.render(yaml(example, "current.yml"));
    assertThat(rendered.problem()).as(example).isNull();

    var missing = new ArrayList<String>();
    contains(rendered.desired(), yaml(example, "expected.yml"), "", missing);
    assertThat(missing)
        .as(example + " rendered:\n" + rendered.desired().toPrettyString())
        .isEmpty();
  }

  /** Records in {@code missing} every part of {@code expected} that {@code actual} lacks. */
  static void contains(JsonNode actual, JsonNode expected, String path, List<String> missing) {
    if (expected.isObject()) {
      expected
          .fields()
          .forEachRemaining(
              e -> {
                if (MODEL_KEYS.contains(e.getKey())) {
                  return;
                }
                var at = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                var a = actual == null ? null : actual.get(e.getKey());
                if (a == null && FROM_CURRENT.contains(e.getKey())) {
                  return;
                }
                if (a == null) {
                  missing.add(at + ": missing, expected " + e.getValue());
                } else {
                  contains(a, e.getValue(), at, missing);
                }
              });
    } else if (expected.isArray()) {
      // Each expected element must be held by some element: nmstate drops unchanged ones.
      for (int i = 0; i < expected.size(); i++) {
        var want = expected.get(i);
        boolean found = false;
        for (var element : actual == null ? List.<JsonNode>of() : iterable(actual)) {
          var probe = new ArrayList<String>();
          contains(element, want, path, probe);
          if (probe.isEmpty()) {
            found = true;
            break;
          }
        }
        if (!found) {
          missing.add(path + "[" + i + "]: no element holds " + want);
        }
      }
    } else if (actual == null
        || !actual.isValueNode()
        || !actual.asText().equals(expected.asText())) {
      missing.add(path + ": " + actual + ", expected " + expected);
    }
  }

  private static List<JsonNode> iterable(JsonNode node) {
    var out = new ArrayList<JsonNode>();
    node.forEach(out::add);
    return out;
  }
}
