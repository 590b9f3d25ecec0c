package io.multihome.agent.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON-RPC framing against a scripted server on a unix socket: replies split across writes and
 * concatenated with notifications, the server's echo keepalive, error replies.
 */
class OvsdbClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private ServerSocketChannel server;
  private Thread serverThread;
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (serverThread != null) {
      serverThread.join(2000);
    }
  }

  /** A server answering each request with {@code reply(request)}, written one byte at a time. */
  private Path serve(Function<JsonNode, List<String>> reply) throws IOException {
    var path = dir.resolve("db.sock");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    serverThread =
        new Thread(
            () -> {
              try (SocketChannel c = server.accept()) {
                var parser = new JsonFactory().createParser(input(c));
                while (parser.nextToken() != null) {
                  JsonNode req = JSON.readTree(parser);
                  received.add(req);
                  for (var out : reply.apply(req)) {
                    for (byte b : out.getBytes(StandardCharsets.UTF_8)) {
                      c.write(ByteBuffer.wrap(new byte[] {b}));
                    }
                  }
                }
              } catch (IOException e) {
                // the client went away
              }
            });
    serverThread.setDaemon(true);
    serverThread.start();
    return path;
  }

  private static InputStream input(SocketChannel c) {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        var b = ByteBuffer.allocate(1);
        return c.read(b) <= 0 ? -1 : b.array()[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return c.read(ByteBuffer.wrap(b, off, len));
      }
    };
  }

  @Test
  void repliesSplitAndConcatenatedWithNotificationsReachTheirCallers() throws Exception {
    var updates = new CopyOnWriteArrayList<JsonNode>();
    var socket =
        serve(
            req -> {
              var id = req.get("id").toString();
              return switch (req.get("method").asText()) {
                case "list_dbs" ->
                    List.of(
                        "{\"id\":"
                            + id
                            + ",\"result\":[\"_Server\",\"Open_vSwitch\"],\"error\":null}");
                case "monitor" ->
                    List.of(
                        "{\"id\":"
                            + id
                            + ",\"result\":{\"Bridge\":{}},\"error\":null}"
                            + "{\"method\":\"update\",\"params\":[\"mh-1\",{\"Bridge\":{\"u\":"
                            + "{\"new\":{\"name\":\"br0\"}}}}],\"id\":null}");
                default -> List.of("{\"id\":" + id + ",\"result\":null,\"error\":\"unknown\"}");
              };
            });
    try (var c = OvsdbClient.connect(socket, Duration.ofSeconds(5))) {
      assertThat(c.listDbs()).containsExactly("_Server", "Open_vSwitch");
      try (var m = c.monitor("Open_vSwitch", Map.of("Bridge", List.of("name")), updates::add)) {
        await().atMost(Duration.ofSeconds(5)).until(() -> updates.size() == 1);
        assertThat(updates.get(0).at("/Bridge/u/new/name").asText()).isEqualTo("br0");
      }
      assertThatThrownBy(() -> c.echo(JSON.createArrayNode()))
          .isInstanceOf(OvsdbException.class)
          .hasMessageContaining("unknown");
    }
  }

  @Test
  void answersTheServersEchoKeepalive() throws Exception {
    var socket =
        serve(
            req -> {
              if (req.path("method").asText().equals("list_dbs")) {
                return List.of(
                    "{\"method\":\"echo\",\"params\":[\"ka\"],\"id\":\"echo\"}",
                    "{\"id\":" + req.get("id") + ",\"result\":[],\"error\":null}");
              }
              return List.of();
            });
    try (var c = OvsdbClient.connect(socket, Duration.ofSeconds(5))) {
      c.listDbs();
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(received)
                      .anySatisfy(
                          m -> {
                            assertThat(m.path("id").asText()).isEqualTo("echo");
                            assertThat(m.path("result").toString()).isEqualTo("[\"ka\"]");
                          }));
    }
  }

  @Test
  void aFailedOperationNamesItsTableRowAndColumnAndAShortResultIsAnError() throws Exception {
    var socket =
        serve(
            req ->
                List.of(
                    "{\"id\":"
                        + req.get("id")
                        + ",\"result\":[{\"count\":1},{\"error\":\"constraint violation\","
                        + "\"details\":\"bad value for column tag\"},null],\"error\":null}"));
    try (var c = OvsdbClient.connect(socket, Duration.ofSeconds(5))) {
      var tx = Transaction.openVswitch();
      tx.update("Port", Where.name("v1"), Map.of("vlan_mode", Datum.atom("access")));
      tx.update("Port", Where.name("v2"), Map.of("tag", Datum.atom(5000L)));
      tx.comment("x");
      assertThatThrownBy(() -> c.transact(tx))
          .isInstanceOfSatisfying(
              OvsdbException.class,
              e -> {
                assertThat(e.table()).isEqualTo("Port");
                assertThat(e.row()).isEqualTo("name == \"v2\"");
                assertThat(e.column()).isEqualTo("tag");
                assertThat(e.error()).isEqualTo("constraint violation");
              })
          .hasMessageStartingWith("OVSDB update #1 on table Port, name == \"v2\", column tag");
    }
  }

  @Test
  void aLostConnectionFailsThePendingCallAndLaterOnes() throws Exception {
    var socket =
        serve(
            req -> {
              try {
                server.close();
              } catch (IOException e) {
                // closing is the point
              }
              throw new IllegalStateException("drop");
            });
    try (var c = OvsdbClient.connect(socket, Duration.ofSeconds(5))) {
      assertThatThrownBy(c::listDbs)
          .isInstanceOf(OvsdbException.class)
          .hasMessageContaining("lost");
      assertThatThrownBy(c::listDbs)
          .isInstanceOf(OvsdbException.class)
          .hasMessageContaining("closed");
    }
    assertThat(Files.exists(socket)).isTrue();
  }
}
