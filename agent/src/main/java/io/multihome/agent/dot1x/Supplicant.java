package io.multihome.agent.dot1x;

import io.multihome.agent.engine.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One supervised wpa_supplicant on one interface, in the target's network namespace ({@code ip
 * netns exec}, which execs it: the process is wpa_supplicant itself). A process that exits while it
 * should run is started again after a pause that grows to 30 s. Its output (no debug level: no
 * secrets) goes to a file beside its configuration.
 */
final class Supplicant {
  private static final Logger log = LoggerFactory.getLogger(Supplicant.class);
  static final String PROGRAM = "/usr/sbin/wpa_supplicant";
  static final String CLI = "/usr/sbin/wpa_cli";

  private final Target target;
  private final String iface;
  private final String driver;
  private final Path config;
  private final Path logFile;
  private final Path controlDir;
  private final Thread supervisor;
  private volatile Process process;
  private volatile boolean stopped;
  private volatile int starts;

  private Supplicant(
      Target target, String iface, String driver, Path config, Path logFile, Path controlDir) {
    this.target = target;
    this.iface = iface;
    this.driver = driver;
    this.config = config;
    this.logFile = logFile;
    this.controlDir = controlDir;
    this.supervisor = new Thread(this::supervise, "wpa_supplicant-" + iface);
    this.supervisor.setDaemon(true);
  }

  static Supplicant start(
      Target target, String iface, String driver, Path config, Path logFile, Path controlDir) {
    var s = new Supplicant(target, iface, driver, config, logFile, controlDir);
    s.launch();
    s.supervisor.start();
    return s;
  }

  private void launch() {
    var cmd = new ArrayList<String>();
    if (target.netns() != null) {
      cmd.addAll(List.of("ip", "netns", "exec", target.netns()));
    }
    cmd.addAll(List.of(PROGRAM, "-D", driver, "-i", iface, "-c", config.toString(), "-t"));
    try {
      // A stale control socket of a killed predecessor makes wpa_supplicant refuse to start.
      Files.deleteIfExists(controlDir.resolve(iface));
      process =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      starts++;
      log.info("{}: wpa_supplicant -D {} started (pid {})", iface, driver, process.pid());
    } catch (IOException e) {
      throw new IllegalStateException("cannot start wpa_supplicant on " + iface + ": " + e, e);
    }
  }

  private void supervise() {
    long pause = 1000;
    while (!stopped) {
      int code;
      try {
        code = process.waitFor();
      } catch (InterruptedException e) {
        return;
      }
      if (stopped) {
        return;
      }
      log.warn(
          "{}: wpa_supplicant exited with code {}; starting it again in {} ms: {}",
          iface,
          code,
          pause,
          tail());
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        return;
      }
      pause = Math.min(pause * 2, 30_000);
      if (!stopped) {
        try {
          launch();
        } catch (IllegalStateException e) {
          log.warn("{}", e.getMessage());
        }
      }
    }
  }

  Process process() {
    return process;
  }

  int starts() {
    return starts;
  }

  /** The supplicant's {@code wpa_cli status} as key/value pairs; empty while it does not answer. */
  Map<String, String> status() {
    var out = new LinkedHashMap<String, String>();
    try {
      var p =
          new ProcessBuilder(CLI, "-p", controlDir.toString(), "-i", iface, "status")
              .redirectErrorStream(true)
              .start();
      var text = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return out;
      }
      for (var line : text.split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          out.put(line.substring(0, eq), line.substring(eq + 1).strip());
        }
      }
    } catch (IOException e) {
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  /** The end of its output, for messages. */
  String tail() {
    try {
      var lines = Files.readAllLines(logFile);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  boolean alive() {
    var p = process;
    return p != null && p.isAlive();
  }

  /** Stops supervising and ends the process (SIGTERM, then SIGKILL after 5 s). */
  void stop() {
    stopped = true;
    supervisor.interrupt();
    var p = process;
    if (p == null) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    log.info("{}: wpa_supplicant stopped", iface);
  }
}
