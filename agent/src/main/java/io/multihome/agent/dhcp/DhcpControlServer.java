package io.multihome.agent.dhcp;

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
 * Serves {@link DhcpControl} on the agent's unix socket, so that {@code multihome apply} on the
 * node hands its DHCP interfaces to the running agent's {@link DhcpService}. One thread per
 * connection (an {@code await} blocks until its lease comes); connections are rare.
 */
public final class DhcpControlServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DhcpControlServer.class);

  private final Path socket;
  private final DhcpService service;
  private final ServerSocketChannel server;
  private final Thread acceptor;
  private volatile boolean closed;

  private DhcpControlServer(Path socket, DhcpService service) throws IOException {
    this.socket = socket;
    this.service = service;
    Files.createDirectories(socket.getParent());
    Files.deleteIfExists(socket);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket), 16);
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    acceptor = new Thread(this::accept, "dhcp-control");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Listens on {@code <stateDir>/dhcp/<label>.sock} for {@code service}'s target. */
  public static DhcpControlServer start(DhcpService service, Path stateDir) throws IOException {
    return new DhcpControlServer(DhcpControl.socket(stateDir, service.target()), service);
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
          log.warn("DHCP control accept failed: {}", e.toString());
        }
        return;
      }
      var t =
          new Thread(
              () -> {
                try (client) {
                  serve(client);
                } catch (IOException | RuntimeException e) {
                  log.warn("DHCP control request failed: {}", e.toString());
                }
              },
              "dhcp-control-request");
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
      var request = DhcpControl.JSON.readTree(in.toByteArray());
      answer = DhcpControl.JSON.writeValueAsString(DhcpControl.answer(service, request));
    } catch (IOException | RuntimeException e) {
      var err = DhcpControl.JSON.createObjectNode().put("ok", false).put("error", e.toString());
      answer = DhcpControl.JSON.writeValueAsString(err);
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
