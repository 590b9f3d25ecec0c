package io.multihome.agent.dot1x;

import io.multihome.agent.engine.PortAuth;
import io.multihome.agent.engine.Target;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@link SupplicantControl} on the agent's supplicant socket: one thread per connection (an
 * {@code await} blocks until the port is authenticated); connections are rare. Errors are answered
 * by their class and message, never with a request's content (it may hold secrets).
 */
public final class SupplicantControlServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SupplicantControlServer.class);

  private final Path socket;
  private final PortAuth service;
  private final ServerSocketChannel server;
  private volatile boolean closed;

  private SupplicantControlServer(Path socket, PortAuth service) throws IOException {
    this.socket = socket;
    this.service = service;
    Files.createDirectories(socket.getParent());
    Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwx------"));
    Files.deleteIfExists(socket);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket), 16);
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    var acceptor = new Thread(this::accept, "supplicant-control");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Listens on {@code <stateDir>/8021x/<label>.sock} for {@code target}. */
  public static SupplicantControlServer start(PortAuth service, Target target, Path stateDir)
      throws IOException {
    return new SupplicantControlServer(SupplicantControl.socket(stateDir, target), service);
  }

  public Path socket() {
    return socket;
  }

  private void accept() {
    while (!closed) {
      SocketChannel client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (!closed) {
          log.warn("supplicant control accept failed: {}", e.toString());
        }
        return;
      }
      var t =
          new Thread(
              () -> {
                try (client) {
                  serve(client);
                } catch (IOException | RuntimeException e) {
                  log.warn("supplicant control request failed: {}", e.getClass().getName());
                }
              },
              "supplicant-control-request");
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(SocketChannel client) throws IOException {
    var in = new ByteArrayOutputStream();
    var buf = ByteBuffer.allocate(8192);
    while (client.read(buf) >= 0) {
      buf.flip();
      in.write(buf.array(), 0, buf.limit());
      buf.clear();
      if (in.toString(StandardCharsets.UTF_8).contains("\n")) {
        break;
      }
    }
    String answer;
    try {
      var request = SupplicantControl.JSON.readTree(in.toByteArray());
      answer =
          SupplicantControl.JSON.writeValueAsString(SupplicantControl.answer(service, request));
    } catch (IOException | RuntimeException e) {
      var err =
          SupplicantControl.JSON
              .createObjectNode()
              .put("ok", false)
              .put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
      answer = SupplicantControl.JSON.writeValueAsString(err);
    }
    var out = ByteBuffer.wrap((answer + "\n").getBytes(StandardCharsets.UTF_8));
    while (out.hasRemaining()) {
      client.write(out);
    }
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
