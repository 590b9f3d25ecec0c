package io.multihome.agent.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * The server half of an agent control socket ({@link JsonSocketClient}): listens on a unix socket
 * of mode 0600 and answers each connection's one JSON request line with one JSON answer line. One
 * thread per connection (an {@code await} blocks until its service is done); connections are rare.
 */
public final class JsonSocketServer implements AutoCloseable {
  private final Path socket;
  private final ObjectMapper json;
  private final String service;
  private final boolean secret;
  private final Function<JsonNode, ? extends JsonNode> answerer;
  private final Logger log;
  private final ServerSocketChannel server;
  private volatile boolean closed;

  /**
   * Listens on {@code socket}, answering each request with {@code answerer}'s answer (an exception
   * is answered as {@code {"ok": false, "error": ...}}). {@code service} names the service in logs
   * and threads ({@code "DHCP"}: "DHCP control …", thread {@code dhcp-control}). A {@code secret}
   * socket (its requests may hold secrets) lives in a directory of mode 0700, and its errors are
   * answered and logged by their class and message only, never with a request's content.
   */
  public JsonSocketServer(
      Path socket,
      ObjectMapper json,
      String service,
      boolean secret,
      Function<JsonNode, ? extends JsonNode> answerer,
      Logger log)
      throws IOException {
    this.socket = socket;
    this.json = json;
    this.service = service;
    this.secret = secret;
    this.answerer = answerer;
    this.log = log;
    Files.createDirectories(socket.getParent());
    if (secret) {
      Files.setPosixFilePermissions(
          socket.getParent(), PosixFilePermissions.fromString("rwx------"));
    }
    Files.deleteIfExists(socket);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket), 16);
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    var acceptor = new Thread(this::accept, threadName());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public Path socket() {
    return socket;
  }

  private String threadName() {
    return service.toLowerCase(Locale.ROOT) + "-control";
  }

  private void accept() {
    while (!closed) {
      SocketChannel client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (!closed) {
          log.warn("{} control accept failed: {}", service, e.toString());
        }
        return;
      }
      var t =
          new Thread(
              () -> {
                try (client) {
                  serve(client);
                } catch (IOException | RuntimeException e) {
                  log.warn(
                      "{} control request failed: {}",
                      service,
                      secret ? e.getClass().getName() : e.toString());
                }
              },
              threadName() + "-request");
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(SocketChannel client) throws IOException {
    String answer;
    try {
      var request = json.readTree(JsonSocketClient.read(client, true));
      answer = json.writeValueAsString(answerer.apply(request));
    } catch (IOException | RuntimeException e) {
      var error = secret ? e.getClass().getSimpleName() + ": " + e.getMessage() : e.toString();
      answer =
          json.writeValueAsString(json.createObjectNode().put("ok", false).put("error", error));
    }
    JsonSocketClient.writeLine(client, answer);
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      log.debug("closing {}: {}", socket, e.toString());
    }
  }
}
