package io.multihome.agent.ovsdb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a listener whenever the switch's configuration changes: a {@code monitor} on the tables the
 * engine reports (Open_vSwitch, Bridge, Port, Interface), kept up by checking every {@code every}
 * that the connection is alive — so it also picks up an ovsdb-server that starts (or restarts)
 * after the watch. The first successful monitor counts as a change.
 */
public final class OvsdbWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OvsdbWatch.class);
  private static final Map<String, List<String>> TABLES =
      Map.of(
          OpenVswitchRow.TABLE, List.of("bridges", "external_ids", "other_config"),
          BridgeRow.TABLE, BridgeRow.COLUMNS.subList(1, BridgeRow.COLUMNS.size()),
          PortRow.TABLE, PortRow.COLUMNS.subList(1, PortRow.COLUMNS.size()),
          InterfaceRow.TABLE, List.of("name", "type", "options", "mtu_request", "mac", "error"));

  private final Path socket;
  private final Runnable listener;
  private final ScheduledExecutorService timer;
  private OvsdbClient client;

  private OvsdbWatch(Path socket, Runnable listener) {
    this.socket = socket;
    this.listener = listener;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              var t = new Thread(r, "ovsdb-watch " + socket);
              t.setDaemon(true);
              return t;
            });
  }

  /** Watches the server at {@code socket}, (re)connecting every {@code every} when needed. */
  public static OvsdbWatch start(Path socket, Runnable listener, Duration every) {
    var w = new OvsdbWatch(socket, listener);
    w.timer.scheduleWithFixedDelay(w::keepUp, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    return w;
  }

  private synchronized void keepUp() {
    if (client != null && client.isOpen()) {
      return;
    }
    if (client != null) {
      client.close();
      client = null;
    }
    if (!Files.exists(socket)) {
      return;
    }
    OvsdbClient c = null;
    try {
      c = OvsdbClient.connect(socket, Duration.ofSeconds(5));
      c.monitor(OvsdbClient.OPEN_VSWITCH, TABLES, updates -> listener.run());
      client = c;
      listener.run();
    } catch (OvsdbException e) {
      log.debug("OVSDB watch on {}: {}", socket, e.getMessage());
      if (c != null) {
        c.close();
      }
    }
  }

  @Override
  public synchronized void close() {
    timer.shutdownNow();
    if (client != null) {
      client.close();
      client = null;
    }
  }
}
