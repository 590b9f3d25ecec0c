package io.multihome.agent.dhcp;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.agent.engine.AutoIp;
import io.multihome.agent.engine.Target;
import java.nio.file.Path;
import java.util.Map;

/**
 * The agent's DHCP socket protocol: one JSON request line per connection ({@code {"op":
 * "settings"}}, {@code configure} with {@code changes}, {@code commit}, {@code await} with {@code
 * names} and {@code deadline}, {@code dns}, {@code status}), one JSON answer line ({@code {"ok":
 * true, ...}} or {@code {"ok": false, "error": "..."}}). The socket is {@code
 * <state-dir>/dhcp/<netns |host>.sock}, mode 0600: whoever may change the node's network may use
 * it.
 */
final class DhcpControl {
  static final ObjectMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  static final TypeReference<Map<String, AutoIp>> SETTINGS = new TypeReference<>() {};

  private DhcpControl() {}

  /** Where the agent serving {@code target} listens. */
  static Path socket(Path stateDir, Target target) {
    return stateDir.resolve("dhcp").resolve(target.label() + ".sock");
  }

  /** Answers one request against {@code service}. */
  static ObjectNode answer(DhcpService service, JsonNode request) {
    var out = JSON.createObjectNode().put("ok", true);
    switch (request.path("op").asText()) {
      case "settings" -> out.set("settings", JSON.valueToTree(service.settings()));
      case "configure" -> service.configure(JSON.convertValue(request.path("changes"), SETTINGS));
      case "commit" -> service.commit();
      case "await" -> {
        var names =
            JSON.convertValue(
                request.path("names"), new TypeReference<java.util.List<String>>() {});
        var why =
            service.await(names, java.time.Instant.ofEpochMilli(request.path("deadline").asLong()));
        out.put("result", why);
      }
      case "dns" -> out.set("dns", JSON.valueToTree(service.dns()));
      case "status" -> out.set("status", JSON.valueToTree(service.status()));
      default -> {
        out.put("ok", false);
        out.put("error", "unknown op '" + request.path("op").asText() + "'");
      }
    }
    return out;
  }
}
