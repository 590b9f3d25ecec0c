package io.multihome.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.state.DesiredState;
import io.multihome.state.Documents;
import io.multihome.state.StateParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Upstream example files kept as test resources ({@code src/test/resources/upstream/}, each naming
 * its source and commit in its first line), read as desired states. Addresses are moved into the
 * ranges the tests may use (the examples use the documentation ranges 192.0.2.0/24, 198.51.100.0/24
 * and public resolvers), the same way everywhere; the 802.1x examples' certificate directory
 * becomes {@link Dot1xPki#dir()}.
 */
final class Upstream {
  static final Path ROOT = Path.of("src", "test", "resources", "upstream");

  private static final Map<String, String> ADDRESSES = new LinkedHashMap<>();

  static {
    ADDRESSES.put("192.0.2.", "198.18.2.");
    ADDRESSES.put("198.51.100.", "203.0.113.");
    ADDRESSES.put("198.51.200.", "198.19.200.");
    ADDRESSES.put("8.8.8.8", "198.18.8.8");
    ADDRESSES.put("2001:4860:4860::8888", "2001:db8:4860::8888");
    ADDRESSES.put("10.244.0.", "198.18.244.");
    ADDRESSES.put("169.254.1.0", "198.19.1.0");
    ADDRESSES.put("192.168.100.1", "198.18.244.254");
    ADDRESSES.put("1.1.1.0/24", "203.0.113.0/24");
  }

  private Upstream() {}

  /** The file's text with the addresses moved. */
  static String text(String relative) {
    try {
      var s = Files.readString(ROOT.resolve(relative));
      for (var e : ADDRESSES.entrySet()) {
        s = s.replace(e.getKey(), e.getValue());
      }
      if (s.contains(Dot1xPki.UPSTREAM_DIR)) {
        // nmstate's 802.1x examples name certificates under /etc/pki: test ones stand in.
        s = s.replace(Dot1xPki.UPSTREAM_DIR, Dot1xPki.dir() + "/");
      }
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The desired state of the file's first document (an NNCP's {@code spec.desiredState}). */
  static JsonNode tree(String relative) {
    var parsed = Documents.read(text(relative));
    assertThat(parsed.error()).isNull();
    var doc = parsed.documents().get(0);
    return doc.has("spec") ? doc.path("spec").path("desiredState") : doc;
  }

  /** {@link #tree} parsed, asserting it has no structural problem. */
  static DesiredState state(String relative) {
    var parsed = StateParser.parse(tree(relative));
    assertThat(parsed.problems()).as(relative).isEmpty();
    return parsed.state();
  }
}
