package io.multihome.agent.ipsec;

import io.multihome.agent.engine.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One private libreswan IKE daemon for one target: {@code pluto} started inside the target's
 * namespace ({@code ip netns exec}) with its own configuration, run directory (control socket and
 * pid file), NSS database, ipsec.d and secrets file, all under {@code dir}; never the host's
 * /run/pluto, /etc/ipsec.* or the package's service. pluto detaches itself, so it outlives the
 * process that started it; the next one finds it by its pid file and control socket.
 */
final class Pluto {
  private static final Logger log = LoggerFactory.getLogger(Pluto.class);
  static final String PLUTO = "/usr/libexec/ipsec/pluto";
  static final String ADDCONN = "/usr/libexec/ipsec/addconn";
  static final String WHACK = "/usr/libexec/ipsec/whack";
  static final String IPSEC = "/usr/sbin/ipsec";
  static final String CERTUTIL = "/usr/bin/certutil";
  private static final long START_WAIT_MS = 15_000;

  private final Target target;
  private final Path dir;
  private final Path run;

  Pluto(Target target, Path dir) {
    this.target = target;
    this.dir = dir;
    this.run = runDir(dir);
  }

  /**
   * {@code dir/run}, or when its control socket's path would pass the 107 bytes a unix socket path
   * may have, a directory under /tmp named by a hash of {@code dir} (the same every time).
   */
  private static Path runDir(Path dir) {
    var own = dir.resolve("run");
    if (own.resolve("pluto.ctl").toString().length() <= 100) {
      return own;
    }
    try {
      var h = MessageDigest.getInstance("SHA-256").digest(dir.toString().getBytes());
      return Path.of("/tmp", "mh-pluto-" + HexFormat.of().formatHex(h, 0, 8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  Path config() {
    return dir.resolve("ipsec.conf");
  }

  Path secrets() {
    return dir.resolve("ipsec.secrets");
  }

  Path nss() {
    return dir.resolve("nss");
  }

  Path logFile() {
    return dir.resolve("pluto.log");
  }

  Path control() {
    return run.resolve("pluto.ctl");
  }

  /** Creates the NSS database once (where the user imports certificates for x509). */
  void initNss() {
    if (Files.exists(nss().resolve("cert9.db"))) {
      return;
    }
    mkdirs(dir);
    mkdirs(nss());
    run(List.of(IPSEC, "initnss", "--nssdir", nss().toString()), "ipsec initnss");
  }

  /** The pid of the running daemon, or -1. */
  long pid() {
    try {
      var pid = Long.parseLong(Files.readString(run.resolve("pluto.pid")).strip());
      var cmd = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
      return cmd.contains("pluto") && cmd.contains(run.toString()) ? pid : -1;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  boolean running() {
    return pid() > 0 && Files.exists(control());
  }

  /** Starts the daemon unless it runs; waits until its control socket answers. */
  void ensureStarted() {
    if (running() && whack(List.of("--globalstatus")).ok()) {
      return;
    }
    initNss();
    mkdirs(run);
    mkdirs(dir.resolve("ipsec.d"));
    try {
      Files.deleteIfExists(control());
      Files.deleteIfExists(run.resolve("pluto.pid"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var cmd = inTarget();
    cmd.addAll(
        List.of(
            PLUTO,
            "--config",
            config().toString(),
            "--rundir",
            run.toString(),
            "--nssdir",
            nss().toString(),
            "--ipsecdir",
            dir.resolve("ipsec.d").toString(),
            "--secretsfile",
            secrets().toString(),
            "--logfile",
            logFile().toString()));
    run(cmd, "pluto");
    long until = System.currentTimeMillis() + START_WAIT_MS;
    while (System.currentTimeMillis() < until) {
      if (running() && whack(List.of("--globalstatus")).ok()) {
        // pluto answers before it has found its interfaces; a connection initiated before that
        // has nothing to send from and is silently not started. --listen returns once it has.
        var listen = whack(List.of("--listen"));
        if (!listen.ok()) {
          throw new IllegalStateException(
              "pluto for " + target.label() + " did not listen: " + listen.output());
        }
        log.info("pluto for {} started (pid {})", target.label(), pid());
        return;
      }
      pause(100);
    }
    throw new IllegalStateException(
        "pluto for " + target.label() + " did not answer on " + control() + ": " + tail(3));
  }

  /** Stops the daemon (its SAs and policies go with it) and removes its run files. */
  void shutdown() {
    long pid = pid();
    if (pid > 0) {
      whack(List.of("--shutdown"));
      long until = System.currentTimeMillis() + 10_000;
      while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
          && System.currentTimeMillis() < until) {
        pause(50);
      }
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      removeBypassPolicies();
      log.info("pluto for {} stopped", target.label());
    }
    try {
      Files.deleteIfExists(control());
      Files.deleteIfExists(run.resolve("pluto.pid"));
      if (!run.startsWith(dir)) {
        Files.deleteIfExists(run);
      }
    } catch (IOException e) {
      log.warn("cannot remove pluto's run files in {}: {}", run, e.toString());
    }
  }

  /**
   * pluto installs xfrm policies that let IPv6 neighbour discovery (ICMPv6 types 135 and 136)
   * bypass IPsec when it starts, and leaves them when it stops; they go with it here.
   */
  private void removeBypassPolicies() {
    for (var type : List.of("135", "136")) {
      for (var dir : List.of("out", "fwd", "in")) {
        var cmd = new ArrayList<String>(List.of("ip"));
        if (target.netns() != null) {
          cmd.addAll(List.of("-n", target.netns()));
        }
        cmd.addAll(
            List.of(
                "xfrm",
                "policy",
                "delete",
                "dir",
                dir,
                "src",
                "::/0",
                "dst",
                "::/0",
                "proto",
                "ipv6-icmp",
                "type",
                type));
        exec(cmd); // absent when pluto never got that far
      }
    }
  }

  /** {@code addconn} of {@code name} from the private configuration, in the target namespace. */
  Result addconn(String name) {
    var cmd = inTarget();
    cmd.addAll(
        List.of(
            ADDCONN, "--config", config().toString(), "--ctlsocket", control().toString(), name));
    return exec(cmd);
  }

  Result whack(List<String> args) {
    var cmd = new ArrayList<>(List.of(WHACK, "--ctlsocket", control().toString()));
    cmd.addAll(args);
    return exec(cmd);
  }

  Result certutil(List<String> args) {
    var cmd = new ArrayList<>(List.of(CERTUTIL, "-d", "sql:" + nss()));
    cmd.addAll(args);
    return exec(cmd);
  }

  /** The last {@code n} lines of pluto's log that mention {@code what} (all lines: null). */
  String tail(int n, String what) {
    try {
      var lines =
          Files.readAllLines(logFile()).stream()
              .filter(l -> what == null || l.contains(what))
              .toList();
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  String tail(int n) {
    return tail(n, null);
  }

  private List<String> inTarget() {
    var cmd = new ArrayList<String>();
    if (target.netns() != null) {
      cmd.addAll(List.of("ip", "netns", "exec", target.netns()));
    }
    return cmd;
  }

  record Result(int code, String output) {
    boolean ok() {
      return code == 0;
    }
  }

  static Result exec(List<String> cmd) {
    try {
      var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      // pluto runs "ipsec _updown" by PATH.
      pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
      var p = pb.start();
      var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, out + " (timed out)");
      }
      return new Result(p.exitValue(), out.strip());
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }

  private static void run(List<String> cmd, String what) {
    var r = exec(cmd);
    if (!r.ok()) {
      throw new IllegalStateException(what + " failed (exit " + r.code() + "): " + r.output());
    }
  }

  static void mkdirs(Path d) {
    try {
      Files.createDirectories(d);
      Files.setPosixFilePermissions(
          d, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + d, e);
    }
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
