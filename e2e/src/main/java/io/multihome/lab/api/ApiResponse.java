package io.multihome.lab.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the pipeline answers: a status code, a JSON (or text) body and the {@code Warning} headers
 * an API server adds (e.g. for pruned unknown fields).
 */
public record ApiResponse(int code, String contentType, byte[] body, List<String> warnings) {
  static final ObjectMapper JSON = new ObjectMapper();

  public static ApiResponse json(int code, JsonNode body) {
    return new ApiResponse(
        code, "application/json", body.toString().getBytes(StandardCharsets.UTF_8), List.of());
  }

  public static ApiResponse json(int code, String body) {
    return new ApiResponse(
        code, "application/json", body.getBytes(StandardCharsets.UTF_8), List.of());
  }

  public static ApiResponse text(int code, String body) {
    return new ApiResponse(code, "text/plain", body.getBytes(StandardCharsets.UTF_8), List.of());
  }

  public ApiResponse withWarnings(List<String> more) {
    if (more.isEmpty()) {
      return this;
    }
    var all = new java.util.ArrayList<>(warnings);
    all.addAll(more);
    return new ApiResponse(code, contentType, body, List.copyOf(all));
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  public boolean ok() {
    return code >= 200 && code < 300;
  }

  /** A {@code meta/v1 Status} failure as an API server writes it. */
  public static ApiResponse status(int code, String reason, String message) {
    return json(code, statusNode(code, reason, message));
  }

  static ObjectNode statusNode(int code, String reason, String message) {
    var s = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
    return s;
  }

  /** {@code pods "x" not found}. */
  public static ApiResponse notFound(String plural, String group, String name) {
    var s = statusNode(404, "NotFound", qualified(plural, group) + " \"" + name + "\" not found");
    s.putObject("details").put("name", name).put("group", group).put("kind", plural);
    return json(404, s);
  }

  /** {@code pods "x" already exists}. */
  public static ApiResponse alreadyExists(String plural, String group, String name) {
    var s =
        statusNode(
            409, "AlreadyExists", qualified(plural, group) + " \"" + name + "\" already exists");
    s.putObject("details").put("name", name).put("group", group).put("kind", plural);
    return json(409, s);
  }

  static String qualified(String plural, String group) {
    return group == null || group.isEmpty() ? plural : plural + "." + group;
  }
}
