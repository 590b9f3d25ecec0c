package io.multihome.agent.dot1x;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.agent.engine.MkaConfig;
import io.multihome.agent.engine.PortAuth;
import io.multihome.agent.engine.Target;
import io.multihome.state.Ieee8021x;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The agent's supplicant socket protocol, so that {@code multihome apply} on a node hands 802.1x
 * and MACsec Key Agreement to the running agent: one JSON request line per connection ({@code
 * {"op": "settings"}}, {@code configure} with {@code changes}, {@code await} with {@code names} and
 * {@code deadline}, and the same three for MKA: {@code mka}, {@code configure-mka}, {@code
 * await-mka}), one JSON answer line ({@code {"ok": true, ...}} or {@code {"ok": false, "error":
 * "..."}}). The socket is {@code <state-dir>/8021x/<netns|host>.sock}, mode 0600 in a 0700
 * directory: the secrets cross it, and only whoever may change the node's network may use it.
 */
final class SupplicantControl {
  static final ObjectMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  static final TypeReference<Map<String, Ieee8021x>> SETTINGS = new TypeReference<>() {};
  static final TypeReference<Map<String, MkaConfig>> MKA = new TypeReference<>() {};
  static final TypeReference<Map<String, String>> REASONS = new TypeReference<>() {};
  private static final TypeReference<List<String>> NAMES = new TypeReference<>() {};

  private SupplicantControl() {}

  /** Where the agent serving {@code target} listens. */
  static Path socket(Path stateDir, Target target) {
    return stateDir.resolve("8021x").resolve(target.label() + ".sock");
  }

  /** Answers one request against {@code service}. */
  static ObjectNode answer(PortAuth service, JsonNode request) {
    var out = JSON.createObjectNode().put("ok", true);
    switch (request.path("op").asText()) {
      case "settings" -> out.set("settings", JSON.valueToTree(service.settings()));
      case "configure" -> service.configure(JSON.convertValue(request.path("changes"), SETTINGS));
      case "await" ->
          out.set("result", JSON.valueToTree(service.await(names(request), deadline(request))));
      case "mka" -> out.set("mka", JSON.valueToTree(service.mka()));
      case "configure-mka" -> service.configureMka(JSON.convertValue(request.path("changes"), MKA));
      case "await-mka" ->
          out.set("result", JSON.valueToTree(service.awaitMka(names(request), deadline(request))));
      default -> {
        out.put("ok", false);
        out.put("error", "unknown op '" + request.path("op").asText() + "'");
      }
    }
    return out;
  }

  private static List<String> names(JsonNode request) {
    return JSON.convertValue(request.path("names"), NAMES);
  }

  private static Instant deadline(JsonNode request) {
    return Instant.ofEpochMilli(request.path("deadline").asLong());
  }
}
