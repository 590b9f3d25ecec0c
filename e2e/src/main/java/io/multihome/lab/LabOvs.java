package io.multihome.lab;

import io.multihome.agent.ovsdb.BridgeRow;
import io.multihome.agent.ovsdb.InterfaceRow;
import io.multihome.agent.ovsdb.OvsdbClient;
import io.multihome.agent.ovsdb.PortRow;
import io.multihome.agent.ovsdb.SwitchState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Open vSwitch for one lab node (or one test): a private {@code ovsdb-server} and, inside the
 * node's network namespace, {@code ovs-vswitchd}, with database, sockets, pid-less control sockets
 * and logs all under {@code dir} ({@code OVS_RUNDIR}, {@code OVS_DBDIR} and {@code OVS_LOGDIR}
 * point there, so nothing touches the system's {@code /var/run/openvswitch}). Both run as children
 * of this JVM (no {@code --detach}), so {@link #close} stops exactly them.
 *
 * <p>ovs-vswitchd runs in the namespace ({@code ip netns exec}): the system interfaces it opens and
 * the internal ports it creates are that namespace's. Without the kernel's openvswitch module only
 * the userspace datapath works: bridges need {@code datapath_type: netdev} ({@link
 * #kernelDatapath()} tells which).
 */
public final class LabOvs implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LabOvs.class);
  public static final Path SCHEMA = Path.of("/usr/share/openvswitch/vswitch.ovsschema");
  private static final Duration START = Duration.ofSeconds(20);

  private final Path dir;
  private final String netns;
  private final List<Process> processes = new ArrayList<>();
  private final boolean ownsDir;

  private LabOvs(Path dir, String netns, boolean ownsDir) {
    this.dir = dir;
    this.netns = netns;
    this.ownsDir = ownsDir;
  }

  /** Why Open vSwitch cannot run here (its programs are missing), or null. */
  public static String missing() {
    for (var p : List.of("/usr/sbin/ovsdb-server", "/usr/sbin/ovs-vswitchd", "/usr/bin/ovsdb-tool"))
      if (!Files.isExecutable(Path.of(p))) {
        return "Open vSwitch is not installed (" + p + " missing; Debian: openvswitch-switch)";
      }
    if (!Files.exists(SCHEMA)) {
      return "Open vSwitch schema " + SCHEMA + " missing";
    }
    return null;
  }

  /**
   * Whether the kernel datapath is available (the openvswitch module is loaded or built in); when
   * not, bridges must use the userspace datapath ({@code datapath_type: netdev}).
   */
  public static boolean kernelDatapath() {
    return Files.isDirectory(Path.of("/sys/module/openvswitch"));
  }

  /** The datapath type a bridge needs here: {@code system} with the kernel module, else netdev. */
  public static String datapath() {
    return kernelDatapath() ? "system" : "netdev";
  }

  /** ovsdb-server alone (no datapath): enough for the database protocol. */
  public static LabOvs startDatabase(Path dir) {
    return start(dir, null, false);
  }

  /** ovsdb-server and, in {@code netns}, ovs-vswitchd. */
  public static LabOvs start(Path dir, String netns) {
    return start(dir, netns, true);
  }

  private static LabOvs start(Path dir, String netns, boolean vswitchd) {
    var reason = missing();
    if (reason != null) {
      throw new IllegalStateException(reason);
    }
    boolean owns = !Files.exists(dir);
    var ovs = new LabOvs(dir, netns, owns);
    try {
      Files.createDirectories(dir);
      if (!Files.exists(ovs.db())) {
        run(List.of("ovsdb-tool", "create", ovs.db().toString(), SCHEMA.toString()), ovs.env());
      }
      ovs.spawn(
          List.of(
              "ovsdb-server",
              ovs.db().toString(),
              "--remote=punix:" + ovs.socket(),
              "--unixctl=" + dir.resolve("ovsdb-server.ctl"),
              "--log-file=" + dir.resolve("ovsdb-server.log"),
              "--no-chdir"),
          "ovsdb-server");
      ovs.awaitSocket();
      run(ovs.vsctlCommand("--no-wait", "init"), ovs.env());
      if (vswitchd) {
        var cmd = new ArrayList<String>();
        if (netns != null) {
          cmd.addAll(List.of("ip", "netns", "exec", netns));
        }
        cmd.addAll(
            List.of(
                "ovs-vswitchd",
                "unix:" + ovs.socket(),
                "--unixctl=" + dir.resolve("ovs-vswitchd.ctl"),
                "--log-file=" + dir.resolve("ovs-vswitchd.log"),
                "--no-chdir"));
        ovs.spawn(cmd, "ovs-vswitchd");
        // Ready once it has taken the configuration: a no-op change it must acknowledge.
        run(
            ovs.vsctlCommand(
                "--timeout=" + START.toSeconds(),
                "set",
                "Open_vSwitch",
                ".",
                "external_ids:mh-lab=1"),
            ovs.env());
        run(
            ovs.vsctlCommand("--no-wait", "remove", "Open_vSwitch", ".", "external_ids", "mh-lab"),
            ovs.env());
      }
      return ovs;
    } catch (IOException | RuntimeException e) {
      ovs.close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  public Path dir() {
    return dir;
  }

  /** The database's unix socket (what the engine's {@code --ovsdb-socket} takes). */
  public Path socket() {
    return dir.resolve("db.sock");
  }

  public String netns() {
    return netns;
  }

  private Path db() {
    return dir.resolve("conf.db");
  }

  private Map<String, String> env() {
    var d = dir.toString();
    return Map.of("OVS_RUNDIR", d, "OVS_DBDIR", d, "OVS_LOGDIR", d, "OVS_SYSCONFDIR", d);
  }

  private List<String> vsctlCommand(String... args) {
    var cmd = new ArrayList<>(List.of("ovs-vsctl", "--db=unix:" + socket()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Runs {@code ovs-vsctl} on this database (10 s timeout); returns its output. */
  public String vsctl(String... args) {
    var all = new ArrayList<String>();
    all.add("--timeout=10");
    all.addAll(List.of(args));
    return run(vsctlCommand(all.toArray(String[]::new)), env());
  }

  /** Runs {@code ovs-appctl} against ovs-vswitchd's control socket. */
  public String appctl(String... args) {
    var cmd =
        new ArrayList<>(List.of("ovs-appctl", "-t", dir.resolve("ovs-vswitchd.ctl").toString()));
    cmd.addAll(List.of(args));
    return run(cmd, env());
  }

  /** The end of ovs-vswitchd's log, for failure messages. */
  public String vswitchdLog(int lines) {
    try {
      var all = Files.readAllLines(dir.resolve("ovs-vswitchd.log"), StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private void spawn(List<String> cmd, String name) throws IOException {
    var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(dir.resolve(name + ".out").toFile());
    pb.environment().putAll(env());
    processes.add(pb.start());
  }

  private void awaitSocket() {
    long deadline = System.nanoTime() + START.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(socket())) {
        try (var c = OvsdbClient.connect(socket(), Duration.ofSeconds(2))) {
          c.listDbs();
          return;
        } catch (RuntimeException e) {
          // not listening yet
        }
      }
      for (var p : processes) {
        if (!p.isAlive()) {
          throw new IllegalStateException("ovsdb-server exited: " + output("ovsdb-server"));
        }
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting ovsdb-server", e);
      }
    }
    throw new IllegalStateException("ovsdb-server did not listen on " + socket());
  }

  private String output(String name) {
    try {
      return Files.readString(dir.resolve(name + ".out"));
    } catch (IOException e) {
      return "";
    }
  }

  static String run(List<String> cmd, Map<String, String> env) {
    try {
      var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().putAll(env);
      var p = pb.start();
      var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out.strip());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The switch's configuration as text without uuids: the root row's maps, then each bridge
   * (sorted) with the columns the engine manages, its ports and their interfaces (sorted). Equal
   * text means equal configuration, whatever rows were recreated.
   */
  public String configuration() {
    try (var c = OvsdbClient.connect(socket())) {
      var sw = SwitchState.read(c);
      var sb = new StringBuilder();
      sb.append("root external_ids=")
          .append(new TreeMap<>(sw.root().externalIds()))
          .append(" other_config=")
          .append(new TreeMap<>(sw.root().otherConfig()))
          .append('\n');
      var bridges = new ArrayList<>(sw.bridgeList());
      bridges.sort(Comparator.comparing(BridgeRow::name));
      for (var b : bridges) {
        sb.append("bridge ").append(b.name()).append(" dp=").append(b.datapathType());
        sb.append(" stp=").append(b.stpEnable()).append(" rstp=").append(b.rstpEnable());
        sb.append(" mcast=").append(b.mcastSnoopingEnable()).append(" fail=").append(b.failMode());
        sb.append(" ext=").append(new TreeMap<>(b.externalIds()));
        sb.append(" other=").append(new TreeMap<>(b.otherConfig())).append('\n');
        var ports = new ArrayList<>(sw.portsOf(b));
        ports.sort(Comparator.comparing(PortRow::name));
        for (var p : ports) {
          sb.append("  port ").append(p.name());
          sb.append(" vlan=").append(p.vlanMode()).append('/').append(p.tag()).append('/');
          sb.append(p.trunks()).append(" bond=").append(p.bondMode()).append('/');
          sb.append(p.lacp()).append('/').append(p.bondUpdelay()).append('/');
          sb.append(p.bondDowndelay()).append(" ext=").append(new TreeMap<>(p.externalIds()));
          sb.append(" other=").append(new TreeMap<>(p.otherConfig())).append('\n');
          var ifaces = new ArrayList<>(sw.interfacesOf(p));
          ifaces.sort(Comparator.comparing(InterfaceRow::name));
          for (var i : ifaces) {
            sb.append("    iface ").append(i.name()).append(" type=").append(i.type());
            sb.append(" options=").append(new TreeMap<>(i.options()));
            sb.append(" mtu=").append(i.mtuRequest()).append(" mac=").append(i.mac());
            sb.append(" ext=").append(new TreeMap<>(i.externalIds()));
            sb.append(" other=").append(new TreeMap<>(i.otherConfig())).append('\n');
          }
        }
      }
      return sb.toString();
    }
  }

  /** Removes every bridge and clears the root row's maps (a lab node back to a fresh switch). */
  public void reset() {
    var args = new ArrayList<String>();
    for (var line : vsctl("list-br").split("\n")) {
      if (!line.isBlank()) {
        args.addAll(List.of("--", "del-br", line.strip()));
      }
    }
    args.addAll(
        List.of(
            "--",
            "clear",
            "Open_vSwitch",
            ".",
            "external_ids",
            "--",
            "clear",
            "Open_vSwitch",
            ".",
            "other_config"));
    vsctl(args.toArray(String[]::new));
  }

  /** Stops ovs-vswitchd, then ovsdb-server (each SIGTERM, then SIGKILL after 5 s); removes dir. */
  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      var p = processes.get(i);
      p.destroy();
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          log.warn("Open vSwitch process {} ignored SIGTERM; killing it", p.pid());
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
    if (ownsDir) {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        // already gone
      }
    }
  }
}
