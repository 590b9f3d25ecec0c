package io.multihome.agent.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The client half of an agent control socket ({@link JsonSocketServer}): one JSON request line per
 * connection, one JSON answer line ({@code {"ok": true, ...}} or {@code {"ok": false, "error":
 * "..."}}). Shared by the agent's services that {@code multihome apply} hands work to, so that each
 * keeps only its own operations.
 */
public final class JsonSocketClient {
  private final Path socket;
  private final ObjectMapper json;
  private final String service;

  /**
   * {@code service} names the agent's service in errors ({@code "DHCP"} gives "the agent's DHCP
   * service refused …" and "agent DHCP socket …").
   */
  public JsonSocketClient(Path socket, ObjectMapper json, String service) {
    this.socket = socket;
    this.json = json;
    this.service = service;
  }

  /**
   * The answer to {@code request}; {@link IllegalStateException} when the service refuses it (or
   * says nothing), {@link UncheckedIOException} when the socket cannot be used.
   */
  public JsonNode call(ObjectNode request) {
    try (var ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      writeLine(ch, json.writeValueAsString(request));
      var answer = json.readTree(read(ch, false));
      if (answer == null || !answer.path("ok").asBoolean()) {
        throw new IllegalStateException(
            "the agent's "
                + service
                + " service refused "
                + request.path("op").asText()
                + ": "
                + (answer == null ? "no answer" : answer.path("error").asText()));
      }
      return answer;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "agent " + service + " socket " + socket + ": " + e.getMessage(), e);
    }
  }

  /** What {@code ch} sends until it closes, or until its first newline when {@code toLine}. */
  static byte[] read(SocketChannel ch, boolean toLine) throws IOException {
    var in = new ByteArrayOutputStream();
    var buf = ByteBuffer.allocate(8192);
    while (ch.read(buf) >= 0) {
      buf.flip();
      in.write(buf.array(), 0, buf.limit());
      buf.clear();
      if (toLine && in.toString(StandardCharsets.UTF_8).contains("\n")) {
        break;
      }
    }
    return in.toByteArray();
  }

  /** Sends {@code line} and a newline, all of it. */
  static void writeLine(SocketChannel ch, String line) throws IOException {
    var out = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    while (out.hasRemaining()) {
      ch.write(out);
    }
  }
}
