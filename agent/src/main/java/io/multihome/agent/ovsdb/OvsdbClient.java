package io.multihome.agent.ovsdb;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An RFC 7047 JSON-RPC client on the unix socket of {@code ovsdb-server}: {@code list_dbs}, {@code
 * echo}, {@code transact} and {@code monitor}/{@code monitor_cancel}. One reader thread parses the
 * server's stream of JSON values (they are concatenated, not delimited), completes the pending
 * request with the same id, answers the server's {@code echo} keepalives and hands {@code update}
 * notifications to the monitor's listener. Calls may come from any thread.
 */
public final class OvsdbClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OvsdbClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  public static final String OPEN_VSWITCH = "Open_vSwitch";

  /** Where Debian's and most distributions' ovsdb-server listens. */
  public static final Path DEFAULT_SOCKET = Path.of("/var/run/openvswitch/db.sock");

  private final Path socket;
  private final SocketChannel channel;
  private final Duration timeout;
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final Map<String, Consumer<JsonNode>> monitors = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong monitorIds = new AtomicLong();
  private final Object writeLock = new Object();
  private final Thread reader;
  private volatile String closedBecause;

  private OvsdbClient(Path socket, SocketChannel channel, Duration timeout) {
    this.socket = socket;
    this.channel = channel;
    this.timeout = timeout;
    this.reader = new Thread(this::readLoop, "ovsdb-reader " + socket);
    reader.setDaemon(true);
    reader.start();
  }

  /** Connects to the server at {@code socket}; each call then waits at most {@code timeout}. */
  public static OvsdbClient connect(Path socket, Duration timeout) {
    SocketChannel ch = null;
    try {
      ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      ch.connect(UnixDomainSocketAddress.of(socket));
      return new OvsdbClient(socket, ch, timeout);
    } catch (IOException e) {
      closeQuietly(ch);
      throw new OvsdbException(
          "cannot connect to ovsdb-server at " + socket + ": " + e.getMessage(), e);
    }
  }

  public static OvsdbClient connect(Path socket) {
    return connect(socket, Duration.ofSeconds(10));
  }

  public Path socket() {
    return socket;
  }

  /** False once the connection was closed or lost. */
  public boolean isOpen() {
    return closedBecause == null;
  }

  /** The databases the server holds. */
  public List<String> listDbs() {
    var out = new ArrayList<String>();
    call("list_dbs", Datum.NODES.arrayNode()).forEach(n -> out.add(n.asText()));
    return out;
  }

  /** Sends {@code payload} and returns what the server echoes back (a liveness check). */
  public JsonNode echo(ArrayNode payload) {
    return call("echo", payload);
  }

  /**
   * Runs {@code tx}. Throws {@link OvsdbException} naming the failed operation's table, row and
   * column (nothing was committed), or the commit's error.
   */
  public TxResult transact(Transaction tx) {
    var ops = tx.ops();
    var result = call("transact", tx.params());
    var list = new ArrayList<JsonNode>();
    result.forEach(list::add);
    for (int i = 0; i < list.size(); i++) {
      var r = list.get(i);
      if (r != null && r.hasNonNull("error")) {
        var error = r.get("error").asText();
        var details = r.path("details").asText(null);
        if (i < ops.size()) {
          throw OvsdbException.ofOperation(i, ops.get(i), error, details);
        }
        throw OvsdbException.ofCommit(error, details);
      }
    }
    if (list.size() < ops.size()) {
      throw new OvsdbException(
          "OVSDB transact returned " + list.size() + " results for " + ops.size() + " operations");
    }
    return new TxResult(list.subList(0, ops.size()));
  }

  /** A running monitor: its initial contents ({@code table → uuid → {new: row}}). */
  public final class Monitor implements AutoCloseable {
    private final String id;
    private final JsonNode initial;

    private Monitor(String id, JsonNode initial) {
      this.id = id;
      this.initial = initial;
    }

    public JsonNode initial() {
      return initial;
    }

    /** Stops the notifications ({@code monitor_cancel}); harmless after the connection closed. */
    @Override
    public void close() {
      monitors.remove(id);
      if (closedBecause == null) {
        try {
          call("monitor_cancel", Datum.NODES.arrayNode().add(id));
        } catch (OvsdbException e) {
          log.debug("monitor_cancel {}: {}", id, e.getMessage());
        }
      }
    }
  }

  /**
   * Starts a monitor of {@code columns} per table in {@code database}; {@code listener} gets each
   * {@code update} notification's table-updates on the reader thread (keep it short). The initial
   * contents come back in {@link Monitor#initial()}.
   */
  public Monitor monitor(
      String database, Map<String, List<String>> columns, Consumer<JsonNode> listener) {
    var id = "mh-" + monitorIds.incrementAndGet();
    var requests = Datum.NODES.objectNode();
    columns.forEach(
        (table, cols) -> {
          var arr = requests.putObject(table).putArray("columns");
          cols.forEach(arr::add);
        });
    monitors.put(id, listener);
    try {
      var initial = call("monitor", Datum.NODES.arrayNode().add(database).add(id).add(requests));
      return new Monitor(id, initial);
    } catch (RuntimeException e) {
      monitors.remove(id);
      throw e;
    }
  }

  private JsonNode call(String method, ArrayNode params) {
    long id = ids.incrementAndGet();
    var future = new CompletableFuture<JsonNode>();
    pending.put(id, future);
    var request = Datum.NODES.objectNode().put("method", method);
    request.set("params", params);
    request.put("id", id);
    try {
      send(request);
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new OvsdbException(
          "OVSDB "
              + method
              + " got no answer from "
              + socket
              + " within "
              + timeout.toSeconds()
              + " s");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof OvsdbException o) {
        throw o;
      }
      throw new OvsdbException("OVSDB " + method + ": " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OvsdbException("OVSDB " + method + ": interrupted", e);
    } finally {
      pending.remove(id);
    }
  }

  private void send(ObjectNode message) {
    if (closedBecause != null) {
      throw new OvsdbException("OVSDB connection to " + socket + " is closed: " + closedBecause);
    }
    try {
      var buf = ByteBuffer.wrap(JSON.writeValueAsBytes(message));
      // Straight to the channel: a stream adapter would contend for the blocking lock the
      // reader thread holds while it waits for data.
      synchronized (writeLock) {
        while (buf.hasRemaining()) {
          channel.write(buf);
        }
      }
    } catch (IOException e) {
      throw new OvsdbException("OVSDB write to " + socket + " failed: " + e.getMessage(), e);
    }
  }

  private void readLoop() {
    String reason = "the server closed the connection";
    try (JsonParser parser = new JsonFactory().createParser(new ChannelInput(channel))) {
      while (true) {
        JsonToken t = parser.nextToken();
        if (t == null) {
          break;
        }
        JsonNode message = JSON.readTree(parser);
        try {
          dispatch(message);
        } catch (RuntimeException e) {
          log.warn("OVSDB message {} not handled: {}", message, e.toString());
        }
      }
    } catch (IOException e) {
      reason = closedBecause != null ? closedBecause : "read failed: " + e.getMessage();
    }
    if (closedBecause == null) {
      closedBecause = reason;
    }
    var failure = new OvsdbException("OVSDB connection to " + socket + " lost: " + reason);
    pending.values().forEach(f -> f.completeExceptionally(failure));
  }

  private void dispatch(JsonNode m) {
    var method = m.path("method");
    if (method.isTextual()) {
      switch (method.textValue()) {
        case "echo" -> {
          var reply = Datum.NODES.objectNode();
          reply.set("result", m.path("params"));
          reply.putNull("error");
          reply.set("id", m.path("id"));
          send(reply);
        }
        case "update" -> {
          var params = m.path("params");
          var listener = monitors.get(params.path(0).asText());
          if (listener != null) {
            listener.accept(params.path(1));
          }
        }
        default -> log.debug("OVSDB notification {} ignored", method.textValue());
      }
      return;
    }
    var id = m.path("id");
    var future = id.canConvertToLong() ? pending.get(id.asLong()) : null;
    if (future == null) {
      log.debug("OVSDB reply with unknown id {}", id);
      return;
    }
    var error = m.path("error");
    if (!error.isMissingNode() && !error.isNull()) {
      var text = error.isTextual() ? error.textValue() : error.toString();
      future.completeExceptionally(new OvsdbException("OVSDB request failed: " + text));
    } else {
      future.complete(m.path("result"));
    }
  }

  @Override
  public void close() {
    if (closedBecause == null) {
      closedBecause = "closed by the client";
    }
    closeQuietly(channel);
    try {
      reader.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(SocketChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        // nothing left to release
      }
    }
  }

  /** Reads the channel directly (see {@link #send} for why not {@code Channels.newInputStream}). */
  private static final class ChannelInput extends InputStream {
    private final SocketChannel ch;

    ChannelInput(SocketChannel ch) {
      this.ch = ch;
    }

    @Override
    public int read() throws IOException {
      var one = new byte[1];
      int n = read(one, 0, 1);
      return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      return ch.read(ByteBuffer.wrap(b, off, len));
    }
  }
}
