package io.multihome.agent.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The shared control socket: answers, refusals and errors as both agent services had them. */
class JsonSocketTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private JsonSocketServer server(
      Path socket, String service, boolean secret, Function<JsonNode, JsonNode> answerer)
      throws Exception {
    return new JsonSocketServer(
        socket, JSON, service, secret, answerer, LoggerFactory.getLogger(JsonSocketTest.class));
  }

  @Test
  void answersEachRequestLineAndTheSocketIsPrivate() throws Exception {
    var socket = dir.resolve("svc").resolve("host.sock");
    try (var server =
        server(
            socket,
            "DHCP",
            false,
            r -> JSON.createObjectNode().put("ok", true).put("echo", r.path("op").asText()))) {
      assertThat(server.socket()).isEqualTo(socket);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)))
          .isEqualTo("rw-------");
      var client = new JsonSocketClient(socket, JSON, "DHCP");
      assertThat(client.call(JSON.createObjectNode().put("op", "settings")).path("echo").asText())
          .isEqualTo("settings");
      assertThat(client.call(JSON.createObjectNode().put("op", "dns")).path("echo").asText())
          .isEqualTo("dns");
    }
    assertThat(socket).doesNotExist();
  }

  @Test
  void aRefusalNamesTheServiceTheOpAndTheError() throws Exception {
    var socket = dir.resolve("host.sock");
    try (var server =
        server(
            socket,
            "supplicant",
            true,
            r -> JSON.createObjectNode().put("ok", false).put("error", "unknown op 'x'"))) {
      var client = new JsonSocketClient(socket, JSON, "supplicant");
      assertThatThrownBy(() -> client.call(JSON.createObjectNode().put("op", "x")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("the agent's supplicant service refused x: unknown op 'x'");
    }
  }

  @Test
  void anExceptionIsAnsweredPlainlyOrByClassAndMessageOnASecretSocket() throws Exception {
    Function<JsonNode, JsonNode> fails =
        r -> {
          throw new IllegalArgumentException("bad " + r.path("op").asText());
        };
    var plain = dir.resolve("plain").resolve("host.sock");
    try (var server = server(plain, "DHCP", false, fails)) {
      assertThatThrownBy(
              () ->
                  new JsonSocketClient(plain, JSON, "DHCP")
                      .call(JSON.createObjectNode().put("op", "commit")))
          .hasMessage(
              "the agent's DHCP service refused commit: java.lang.IllegalArgumentException: bad"
                  + " commit");
    }
    var secret = dir.resolve("secret").resolve("host.sock");
    try (var server = server(secret, "supplicant", true, fails)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret.getParent())))
          .isEqualTo("rwx------");
      assertThatThrownBy(
              () ->
                  new JsonSocketClient(secret, JSON, "supplicant")
                      .call(JSON.createObjectNode().put("op", "await")))
          .hasMessage(
              "the agent's supplicant service refused await: IllegalArgumentException: bad await");
    }
  }

  @Test
  void noServerIsAnUncheckedIoErrorNamingTheSocket() {
    var socket = dir.resolve("none.sock");
    assertThatThrownBy(
            () ->
                new JsonSocketClient(socket, JSON, "DHCP")
                    .call(JSON.createObjectNode().put("op", "settings")))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("agent DHCP socket " + socket + ": ");
  }
}
