package io.multihome.agent.engine;

import io.multihome.agent.ovsdb.OvsdbClient;
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
import java.util.concurrent.TimeUnit;

/**
 * A private Open vSwitch for this module's engine tests: {@code ovsdb-server} on a socket in a
 * temporary directory and, inside the test's namespace, {@code ovs-vswitchd} (userspace datapath
 * unless the kernel has the openvswitch module), both children of this JVM that {@link #close}
 * stops. Nothing touches the system's {@code /var/run/openvswitch}. (The lab's {@code LabOvs}, in
 * e2e, does this for lab nodes; this module cannot depend on it.)
 */
final class TestSwitch implements AutoCloseable {
  private static final Path SCHEMA = Path.of("/usr/share/openvswitch/vswitch.ovsschema");
  private static final Duration START = Duration.ofSeconds(20);

  private final Path dir;
  private final List<Process> processes = new ArrayList<>();

  private TestSwitch(Path dir) {
    this.dir = dir;
  }

  /** Why Open vSwitch cannot run here, or null. */
  static String missing() {
    for (var p :
        List.of(
            "/usr/sbin/ovsdb-server",
            "/usr/sbin/ovs-vswitchd",
            "/usr/bin/ovs-vsctl",
            "/usr/bin/ovsdb-tool"))
      if (!Files.isExecutable(Path.of(p))) {
        return "Open vSwitch (" + p + " missing; Debian: openvswitch-switch)";
      }
    return Files.exists(SCHEMA) ? null : "Open vSwitch schema " + SCHEMA;
  }

  /** ovsdb-server, and ovs-vswitchd in {@code netns}, ready for transactions. */
  static TestSwitch start(String netns) {
    TestSwitch sw;
    try {
      sw = new TestSwitch(Files.createTempDirectory("mh-ovs-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      var db = sw.dir.resolve("conf.db").toString();
      sw.run(List.of("ovsdb-tool", "create", db, SCHEMA.toString()));
      sw.spawn(
          "ovsdb-server",
          List.of(
              "ovsdb-server",
              db,
              "--remote=punix:" + sw.socket(),
              "--unixctl=" + sw.dir.resolve("ovsdb-server.ctl"),
              "--no-chdir"));
      sw.awaitDatabase();
      sw.vsctl("--no-wait", "init");
      sw.spawn(
          "ovs-vswitchd",
          List.of(
              "ip",
              "netns",
              "exec",
              netns,
              "ovs-vswitchd",
              "unix:" + sw.socket(),
              "--unixctl=" + sw.dir.resolve("ovs-vswitchd.ctl"),
              "--no-chdir"));
      // Ready once ovs-vswitchd acknowledges a configuration change.
      sw.vsctl("--timeout=" + START.toSeconds(), "set", "Open_vSwitch", ".", "external_ids:t=1");
      sw.vsctl("--no-wait", "remove", "Open_vSwitch", ".", "external_ids", "t");
      return sw;
    } catch (RuntimeException e) {
      sw.close();
      throw e;
    }
  }

  Path socket() {
    return dir.resolve("db.sock");
  }

  /** {@code ovs-vsctl} on this database; its output. */
  String vsctl(String... args) {
    var cmd = new ArrayList<>(List.of("ovs-vsctl", "--db=unix:" + socket()));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  private Map<String, String> env() {
    var d = dir.toString();
    return Map.of("OVS_RUNDIR", d, "OVS_DBDIR", d, "OVS_LOGDIR", d, "OVS_SYSCONFDIR", d);
  }

  private void spawn(String name, List<String> cmd) {
    var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(dir.resolve(name + ".out").toFile());
    pb.environment().putAll(env());
    try {
      processes.add(pb.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitDatabase() {
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
      if (!processes.get(0).isAlive()) {
        throw new IllegalStateException("ovsdb-server exited: " + output("ovsdb-server"));
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
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

  private String run(List<String> cmd) {
    try {
      var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().putAll(env());
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

  /** Stops ovs-vswitchd, then ovsdb-server; removes the directory. */
  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      var p = processes.get(i);
      io.multihome.testkit.Commands.stop(p);
    }
    processes.clear();
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // already gone
    }
  }
}
