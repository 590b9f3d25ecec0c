package io.multihome.agent.cni.dhcp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs and supervises the reference CNI {@code dhcp} plugin's daemon ({@code dhcp daemon
 * -socketpath S}), which {@code "ipam": {"type": "dhcp"}} needs on the node: the plugin binary
 * every attachment execs is only a client that asks the daemon over {@code S} to acquire (and keep
 * renewing) a lease inside the pod's namespace. One daemon per node; restarted when it exits, after
 * a back-off that doubles up to a ceiling and resets once it has stayed up a while. When something
 * else already answers on the socket (a DHCP daemon the cluster runs itself) it is left alone and
 * only watched. The daemon keeps its leases in memory: one that restarts stops renewing the leases
 * it held (the pods keep their addresses until the lease time runs out), as on any node.
 */
public final class DhcpDaemonSupervisor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DhcpDaemonSupervisor.class);

  /** The reference plugin's default socket ({@code plugins/ipam/dhcp/main.go}). */
  public static final Path DEFAULT_SOCKET = Path.of("/run/cni/dhcp.sock");

  /**
   * @param binary the {@code dhcp} plugin binary
   * @param socket where the daemon listens (the plugin finds it: the default, or the ipam option
   *     {@code daemonSocketPath}, which the agent adds to configs when this is not the default)
   * @param netns run the daemon inside this network namespace (lab nodes); null = the agent's
   * @param minBackoff first wait before a restart
   * @param maxBackoff longest wait between restarts
   * @param stableAfter a daemon up this long resets the back-off
   */
  public record Settings(
      Path binary,
      Path socket,
      Path netns,
      Duration minBackoff,
      Duration maxBackoff,
      Duration stableAfter) {

    /** The node's daemon: {@code dhcp} from the first CNI_PATH dir that has it, default socket. */
    public static Optional<Settings> defaults(List<Path> cniPath) {
      return cniPath.stream()
          .map(dir -> dir.resolve("dhcp"))
          .filter(Files::isExecutable)
          .findFirst()
          .map(
              binary ->
                  new Settings(
                      binary,
                      DEFAULT_SOCKET,
                      null,
                      Duration.ofMillis(500),
                      Duration.ofSeconds(30),
                      Duration.ofSeconds(60)));
    }

    public Settings withSocket(Path newSocket) {
      return new Settings(binary, newSocket, netns, minBackoff, maxBackoff, stableAfter);
    }

    public Settings withNetns(Path newNetns) {
      return new Settings(binary, socket, newNetns, minBackoff, maxBackoff, stableAfter);
    }

    public Settings withBackoff(Duration min, Duration max, Duration stable) {
      return new Settings(binary, socket, netns, min, max, stable);
    }
  }

  /**
   * One exit of our daemon and what the supervisor did about it.
   *
   * @param exitCode the daemon's exit code, -1 when it could not start
   * @param ran how long it ran
   * @param delay how long the supervisor waits before starting it again
   */
  public record Restart(int exitCode, Duration ran, Duration delay) {}

  /** How many {@link Restart}s {@link #restarts()} keeps (the newest). */
  static final int RESTART_HISTORY = 16;

  private final Settings settings;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicInteger starts = new AtomicInteger();
  private final Deque<String> lastLines = new ArrayDeque<>();
  private final Deque<Restart> restarts = new ArrayDeque<>();
  private final Thread loop;
  private volatile Process process;
  private volatile boolean adopted;

  private DhcpDaemonSupervisor(Settings settings) {
    this.settings = settings;
    this.loop = new Thread(this::supervise, "cni-dhcp-daemon");
    this.loop.setDaemon(true);
  }

  /** Starts supervising; the daemon itself starts on the supervisor's thread. */
  public static DhcpDaemonSupervisor start(Settings settings) {
    var supervisor = new DhcpDaemonSupervisor(settings);
    supervisor.loop.start();
    return supervisor;
  }

  public Path socket() {
    return settings.socket();
  }

  /** How many times our daemon was started (1 after the first start, +1 per restart). */
  public int starts() {
    return starts.get();
  }

  /**
   * The latest exits of our daemon with the back-off chosen after each, oldest first: the restart
   * schedule as decided, independent of how long the daemon took to start or fail.
   */
  public synchronized List<Restart> restarts() {
    return List.copyOf(restarts);
  }

  /** Our daemon's pid while it runs. */
  public OptionalLong pid() {
    Process p = process;
    return p != null && p.isAlive() ? OptionalLong.of(p.pid()) : OptionalLong.empty();
  }

  /** True while another process (not ours) serves the socket. */
  public boolean adopted() {
    return adopted;
  }

  /** True when a daemon (ours or not) accepts connections on the socket. */
  public boolean serving() {
    return answers(settings.socket());
  }

  private void supervise() {
    Duration backoff = settings.minBackoff();
    boolean announcedOther = false;
    while (closed.getCount() > 0) {
      if (answers(settings.socket())) {
        adopted = true;
        if (!announcedOther) {
          LOG.info("a DHCP daemon already serves {}; not starting ours", settings.socket());
          announcedOther = true;
        }
        if (await(Duration.ofSeconds(2))) {
          return;
        }
        continue;
      }
      adopted = false;
      announcedOther = false;
      long startedAt = System.nanoTime();
      int exit = runOnce();
      if (closed.getCount() == 0) {
        return;
      }
      Duration ran = Duration.ofNanos(System.nanoTime() - startedAt);
      if (ran.compareTo(settings.stableAfter()) >= 0) {
        backoff = settings.minBackoff();
      }
      record(new Restart(exit, ran, backoff));
      LOG.warn(
          "DHCP daemon on {} exited ({}) after {} s; restarting in {} ms. Last output: {}",
          settings.socket(),
          exit,
          ran.toSeconds(),
          backoff.toMillis(),
          lastOutput());
      if (await(backoff)) {
        return;
      }
      backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
    }
  }

  /** Starts the daemon and waits for it to end; the exit code, or -1 when it could not start. */
  private int runOnce() {
    try {
      // The daemon's listen fails on a socket file left by a previous one.
      Files.deleteIfExists(settings.socket());
      Files.createDirectories(settings.socket().getParent());
      var command = new ArrayList<String>();
      if (settings.netns() != null) {
        command.addAll(List.of("nsenter", "--net=" + settings.netns(), "--"));
      }
      command.addAll(
          List.of(
              settings.binary().toString(), "daemon", "-socketpath", settings.socket().toString()));
      Process p;
      synchronized (this) {
        // close() and a start must not cross: either close sees the process, or no start happens.
        if (closed.getCount() == 0) {
          return -1;
        }
        p = new ProcessBuilder(command).redirectErrorStream(true).start();
        process = p;
      }
      starts.incrementAndGet();
      LOG.info("DHCP daemon started on {} (pid {})", settings.socket(), p.pid());
      pump(p);
      return p.waitFor();
    } catch (IOException e) {
      remember("cannot start " + settings.binary() + ": " + e.getMessage());
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } finally {
      process = null;
    }
  }

  private void pump(Process p) {
    var reader =
        new Thread(
            () -> {
              try (var in =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  LOG.debug("dhcp daemon: {}", line);
                  remember(line);
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            "cni-dhcp-daemon-output");
    reader.setDaemon(true);
    reader.start();
  }

  private synchronized void remember(String line) {
    lastLines.addLast(line);
    while (lastLines.size() > 5) {
      lastLines.removeFirst();
    }
  }

  private synchronized void record(Restart restart) {
    restarts.addLast(restart);
    while (restarts.size() > RESTART_HISTORY) {
      restarts.removeFirst();
    }
  }

  private synchronized String lastOutput() {
    return lastLines.isEmpty() ? "(none)" : String.join(" | ", lastLines);
  }

  /** Waits; true when closed meanwhile. */
  private boolean await(Duration duration) {
    try {
      return closed.await(duration.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  static boolean answers(Path socket) {
    if (!Files.exists(socket)) {
      return false;
    }
    try (var channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Stops supervising and stops our daemon (never one we adopted). */
  @Override
  public void close() {
    Process p;
    synchronized (this) {
      closed.countDown();
      p = process;
    }
    if (p != null) {
      p.destroy();
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      loop.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!adopted) {
      try {
        Files.deleteIfExists(settings.socket());
      } catch (IOException e) {
        LOG.debug("cannot remove {}: {}", settings.socket(), e.toString());
      }
    }
  }
}
