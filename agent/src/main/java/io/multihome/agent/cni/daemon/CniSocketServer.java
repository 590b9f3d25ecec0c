package io.multihome.agent.cni.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.HashMap;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Minimal HTTP/1.1 server on a unix socket for the shim: {@code POST /cni} and {@code GET
 * /healthz}, one request per connection. At most {@code maxConcurrent} requests run at once; the
 * acceptor stops accepting beyond that, so a pod burst queues in the kernel backlog instead of
 * growing the heap (the Multus OOM reports, #1346).
 */
public final class CniSocketServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CniSocketServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REQUEST = 4 * 1024 * 1024;

  private final Path socket;
  private final CniHandler service;
  private final Semaphore slots;
  private final ExecutorService workers;
  private final ServerSocketChannel server;
  private final Thread acceptor;
  private volatile boolean closed;

  public CniSocketServer(Path socket, CniHandler service, int maxConcurrent) throws IOException {
    this.socket = socket;
    this.service = service;
    this.slots = new Semaphore(maxConcurrent);
    this.workers =
        Executors.newFixedThreadPool(
            maxConcurrent,
            r -> {
              var t = new Thread(r, "cni-request");
              t.setDaemon(true);
              return t;
            });
    Files.createDirectories(socket.getParent());
    Files.deleteIfExists(socket); // a stale socket from a previous agent
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket), 128);
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    acceptor = new Thread(this::acceptLoop, "cni-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        slots.acquire();
        SocketChannel client;
        try {
          client = server.accept();
        } catch (IOException e) {
          slots.release();
          if (!closed) {
            LOG.warn("accept failed: {}", e.toString());
          }
          continue;
        }
        workers.execute(
            () -> {
              try (client) {
                serve(client);
              } catch (IOException | RuntimeException e) {
                LOG.warn("CNI request failed: {}", e.toString());
              } finally {
                slots.release();
              }
            });
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void serve(SocketChannel client) throws IOException {
    var in = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(8192);
    int headerEnd = -1;
    int contentLength = 0;
    String requestLine = "";
    while (true) {
      if (client.read(buffer) < 0) {
        break;
      }
      buffer.flip();
      in.write(buffer.array(), 0, buffer.limit());
      buffer.clear();
      byte[] data = in.toByteArray();
      if (headerEnd < 0) {
        headerEnd = indexOf(data, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (headerEnd >= 0) {
          String head = new String(data, 0, headerEnd, StandardCharsets.US_ASCII);
          requestLine = head.split("\r\n", 2)[0];
          for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
              contentLength = Integer.parseInt(line.substring(15).strip());
            }
          }
          if (contentLength > MAX_REQUEST) {
            respond(client, 413, "{\"code\":5,\"msg\":\"request too large\"}");
            return;
          }
        }
      }
      if (headerEnd >= 0 && data.length - headerEnd - 4 >= contentLength) {
        break;
      }
      if (data.length > MAX_REQUEST + 65536) {
        respond(client, 413, "{\"code\":5,\"msg\":\"request too large\"}");
        return;
      }
    }
    if (requestLine.startsWith("GET /healthz ")) {
      respond(client, 200, "{}");
      return;
    }
    if (!requestLine.startsWith("POST /cni ")) {
      respond(client, 404, "{\"code\":4,\"msg\":\"unknown endpoint\"}");
      return;
    }
    byte[] data = in.toByteArray();
    JsonNode body = JSON.readTree(data, headerEnd + 4, contentLength);
    var env = new HashMap<String, String>();
    body.path("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    byte[] config = body.path("config").asText("").getBytes(StandardCharsets.UTF_8);
    CniResponse response = service.handle(new CniRequest(env, config));
    respond(client, response.exitCode() == 0 ? 200 : 400, response.text());
  }

  private static void respond(SocketChannel client, int status, String body) throws IOException {
    byte[] payload = body.getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + status
            + (status == 200 ? " OK" : " Error")
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + payload.length
            + "\r\nConnection: close\r\n\r\n";
    ByteBuffer buffer =
        ByteBuffer.allocate(head.length() + payload.length)
            .put(head.getBytes(StandardCharsets.US_ASCII))
            .put(payload)
            .flip();
    while (buffer.hasRemaining()) {
      client.write(buffer);
    }
  }

  private static int indexOf(byte[] data, byte[] needle) {
    outer:
    for (int i = 0; i <= data.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  public Path socket() {
    return socket;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    acceptor.interrupt();
    workers.shutdownNow();
    Files.deleteIfExists(socket);
  }
}
