package io.multihome.agent.cni.daemon;

import java.nio.charset.StandardCharsets;

/** What the shim prints ({@code body}) and its exit code (0 success, 1 CNI error object). */
public record CniResponse(int exitCode, byte[] body) {
  public static CniResponse ok(String json) {
    return new CniResponse(0, json.getBytes(StandardCharsets.UTF_8));
  }

  public static CniResponse error(String json) {
    return new CniResponse(1, json.getBytes(StandardCharsets.UTF_8));
  }

  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
