package io.multihome.agent.lldp;

import io.multihome.agent.engine.KeptSettings;
import io.multihome.agent.engine.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LLDP listener of one target (the node, or a named namespace): one AF_PACKET socket and reader
 * thread per interface the kept settings mark {@code lldp.enabled}, neighbours kept until their TTL
 * runs out (at most 128 per interface, as NetworkManager), written to the {@link NeighborStore} for
 * {@code show}. It re-reads the kept settings and the interfaces' indexes every second ({@link
 * #sync} does it at once, after an apply), so an interface recreated under the same name is
 * listened on again and one no longer enabled is let go with its neighbours.
 */
public final class LldpService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LldpService.class);
  static final int MAX_NEIGHBORS = 128;
  private static final long RECEIVE_TIMEOUT_MS = 500;

  private final Target target;
  private final Path keptFile;
  private final Path storeFile;
  private final Map<String, Listener> listeners = new HashMap<>();

  /** Neighbours by interface, each by its chassis and port id. */
  private final Map<String, Map<String, NeighborStore.Entry>> neighbors = new HashMap<>();

  private final ScheduledExecutorService timer;
  private volatile boolean closed;

  public LldpService(Target target, Path stateDir) {
    this.target = target;
    this.keptFile = KeptSettings.file(stateDir, target);
    this.storeFile = NeighborStore.file(stateDir, target);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              var t = new Thread(r, "lldp-" + target.label());
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts listening on what the kept settings enable; re-checked every second. */
  public LldpService start() {
    timer.scheduleWithFixedDelay(this::syncQuietly, 0, 1, TimeUnit.SECONDS);
    return this;
  }

  private void syncQuietly() {
    try {
      sync();
    } catch (RuntimeException e) {
      log.warn("lldp {}: {}", target.label(), e.getMessage());
    }
  }

  /** Listens on exactly the enabled interfaces that exist now; drops expired neighbours. */
  public synchronized void sync() {
    if (closed) {
      return;
    }
    var enabled = Files.exists(keptFile) ? KeptSettings.read(keptFile).lldp() : List.<String>of();
    if (enabled.isEmpty() && listeners.isEmpty() && neighbors.isEmpty()) {
      // Nothing to listen on: no link dump (the agent of every node runs this each second).
      return;
    }
    var indexes = new HashMap<String, Integer>();
    try (var nl = target.open()) {
      for (var l : nl.links().list()) {
        indexes.put(l.name(), l.index());
      }
    }
    boolean changed = false;
    for (var name : new ArrayList<>(listeners.keySet())) {
      var l = listeners.get(name);
      if (!enabled.contains(name) || !Integer.valueOf(l.ifindex).equals(indexes.get(name))) {
        l.stop();
        listeners.remove(name);
        changed |= neighbors.remove(name) != null;
      }
    }
    for (var name : enabled) {
      var index = indexes.get(name);
      if (index != null && !listeners.containsKey(name)) {
        try {
          var l =
              new Listener(name, index, LldpSocket.open(target.netns(), index, RECEIVE_TIMEOUT_MS));
          listeners.put(name, l);
          l.thread.start();
          log.info("lldp: listening on {} in {}", name, target.label());
        } catch (RuntimeException e) {
          log.warn("lldp: cannot listen on {} in {}: {}", name, target.label(), e.getMessage());
        }
      }
    }
    long now = System.currentTimeMillis();
    for (var m : neighbors.values()) {
      changed |= m.values().removeIf(e -> e.until() <= now);
    }
    changed |= neighbors.values().removeIf(Map::isEmpty);
    if (changed) {
      persist();
    }
  }

  /** The interfaces listened on now. */
  public synchronized List<String> listening() {
    return List.copyOf(listeners.keySet());
  }

  private synchronized void heard(String iface, byte[] frame) {
    if (closed || !listeners.containsKey(iface)) {
      return;
    }
    var n = LldpFrame.parse(frame);
    if (n == null) {
      return;
    }
    var m = neighbors.computeIfAbsent(iface, k -> new LinkedHashMap<>());
    if (n.ttl() == 0) {
      if (m.remove(n.key()) != null) {
        persist();
      }
      return;
    }
    if (!m.containsKey(n.key()) && m.size() >= MAX_NEIGHBORS) {
      return;
    }
    var entry = new NeighborStore.Entry(n.tlvs(), System.currentTimeMillis() + n.ttl() * 1000L);
    var old = m.put(n.key(), entry);
    if (old == null || !old.tlvs().equals(entry.tlvs()) || entry.until() - old.until() > 1000) {
      persist();
    }
  }

  private void persist() {
    var out = new HashMap<String, List<NeighborStore.Entry>>();
    // NetworkManager lists neighbours sorted by their identity.
    neighbors.forEach(
        (iface, m) -> out.put(iface, new java.util.TreeMap<>(m).values().stream().toList()));
    NeighborStore.write(storeFile, out);
  }

  @Override
  public void close() {
    List<Listener> stopping;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      stopping = new ArrayList<>(listeners.values());
      listeners.clear();
      neighbors.clear();
    }
    timer.shutdownNow();
    stopping.forEach(Listener::stop);
    try {
      // No listener runs any more: nothing it heard may be reported as current.
      Files.deleteIfExists(storeFile);
    } catch (java.io.IOException e) {
      log.warn("lldp: cannot remove {}: {}", storeFile, e.getMessage());
    }
  }

  /** One interface's reader thread and socket. */
  private final class Listener {
    final String iface;
    final int ifindex;
    final LldpSocket socket;
    final Thread thread;
    volatile boolean running = true;

    Listener(String iface, int ifindex, LldpSocket socket) {
      this.iface = iface;
      this.ifindex = ifindex;
      this.socket = socket;
      this.thread = new Thread(this::run, "lldp-" + iface);
      thread.setDaemon(true);
    }

    private void run() {
      // The reader closes its own socket when it leaves: never while it waits in recv().
      try (socket) {
        while (running) {
          var frame = socket.receive();
          if (frame != null && running) {
            heard(iface, frame);
          }
        }
      }
    }

    /** Stops the reader; it notices within the receive timeout and closes the socket. */
    void stop() {
      running = false;
    }
  }
}
