package io.multihome.agent.dot1x;

import com.fasterxml.jackson.core.type.TypeReference;
import io.multihome.agent.engine.MkaConfig;
import io.multihome.agent.engine.PortAuth;
import io.multihome.agent.engine.Target;
import io.multihome.state.Ieee8021x;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's IEEE 802.1X supplicants for one target (a node's namespace): one supervised
 * wpa_supplicant ({@code -D wired}) per interface whose desired state has an {@code 802.1x}
 * section, configured from nmstate's fields, and one ({@code -D macsec_linux}) per MACsec interface
 * with key agreement, on its base interface. Configurations (secrets included) are kept in {@code
 * <state-dir>/8021x/<netns|host>/} (directory 0700, files 0600) so a restarted agent starts the
 * same supplicants again; the control sockets live in a short private directory under /tmp (a unix
 * socket path has at most 107 bytes). Secrets are never logged: {@link Ieee8021x#toString} masks
 * them and the supplicants run without debug output.
 */
public final class SupplicantService implements PortAuth, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SupplicantService.class);
  private static final TypeReference<Map<String, Ieee8021x>> TYPE = new TypeReference<>() {};
  private static final long POLL_MS = 200;

  private final Target target;
  private final Path dir;
  private final Path controlDir;
  private final Map<String, Ieee8021x> settings = new TreeMap<>();
  private final Map<String, Supplicant> running = new HashMap<>();
  private final Map<String, Long> startedAt = new HashMap<>();
  // MACsec Key Agreement, by MACsec interface; its supplicant runs on the base interface.
  private final Map<String, MkaConfig> mka = new TreeMap<>();
  private final Map<String, Supplicant> runningMka = new HashMap<>();
  private static final TypeReference<Map<String, MkaConfig>> MKA_TYPE = new TypeReference<>() {};

  private SupplicantService(Target target, Path stateDir) throws IOException {
    this.target = target;
    this.dir = stateDir.resolve("8021x").resolve(target.label());
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    this.controlDir =
        Files.createTempDirectory(
            "mh-wpa-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  /** Starts the service and the supplicants of the saved configurations. */
  public static SupplicantService start(Target target, Path stateDir) {
    try {
      var s = new SupplicantService(target, stateDir);
      var saved = s.readSaved();
      if (!saved.isEmpty()) {
        s.configure(saved);
        log.info("802.1x supplicants of {} resumed: {}", target.label(), saved.keySet());
      }
      var savedMka = s.readSavedMka();
      if (!savedMka.isEmpty()) {
        s.configureMka(savedMka);
        log.info("MACsec key agreements of {} resumed: {}", target.label(), savedMka.keySet());
      }
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the 802.1x service of " + target.label(), e);
    }
  }

  /** Whether wpa_supplicant is installed (Debian package wpasupplicant). */
  public static boolean installed() {
    return Files.isExecutable(Path.of(Supplicant.PROGRAM))
        && Files.isExecutable(Path.of(Supplicant.CLI));
  }

  @Override
  public synchronized Map<String, Ieee8021x> settings() {
    return new LinkedHashMap<>(settings);
  }

  @Override
  public synchronized void configure(Map<String, Ieee8021x> changes) {
    for (var e : changes.entrySet()) {
      var name = e.getKey();
      var want = e.getValue();
      var old = running.remove(name);
      if (old != null) {
        old.stop();
      }
      startedAt.remove(name);
      SecretFiles.delete(configFile(name));
      if (want == null) {
        settings.remove(name);
        continue;
      }
      settings.put(name, want);
      SecretFiles.write(configFile(name), SupplicantConfig.of(want, controlDir.toString()));
      running.put(
          name,
          Supplicant.start(
              target, name, "wired", configFile(name), dir.resolve(name + ".log"), controlDir));
      startedAt.put(name, System.currentTimeMillis());
    }
    SecretFiles.write(dir.resolve("settings.json"), SecretFiles.json(settings));
  }

  @Override
  public synchronized Map<String, MkaConfig> mka() {
    return new LinkedHashMap<>(mka);
  }

  @Override
  public synchronized void configureMka(Map<String, MkaConfig> changes) {
    for (var e : changes.entrySet()) {
      var name = e.getKey();
      var want = e.getValue();
      var old = runningMka.remove(name);
      if (old != null) {
        old.stop();
      }
      SecretFiles.delete(dir.resolve(name + ".mka.conf"));
      if (want == null) {
        mka.remove(name);
        continue;
      }
      mka.put(name, want);
      var conf = dir.resolve(name + ".mka.conf");
      SecretFiles.write(
          conf,
          SupplicantConfig.mka(
              want.cak(), want.ckn(), want.encrypt(), want.port(), controlDir.toString()));
      runningMka.put(
          name,
          Supplicant.start(
              target,
              want.baseIface(),
              "macsec_linux",
              conf,
              dir.resolve(name + ".mka.log"),
              controlDir));
    }
    SecretFiles.write(dir.resolve("mka.json"), SecretFiles.json(mka));
  }

  @Override
  public Map<String, String> awaitMka(Collection<String> names, Instant deadline) {
    return poll(names, deadline, this::whyNotSecured);
  }

  /** Null when {@code name}'s key agreement secured its link with a peer, else why not. */
  private String whyNotSecured(String name, long now) {
    Supplicant s;
    MkaConfig m;
    synchronized (this) {
      s = runningMka.get(name);
      m = mka.get(name);
    }
    if (s == null || m == null) {
      return "no key agreement runs for " + name;
    }
    var st = s.status();
    if (st.isEmpty()) {
      return s.alive()
          ? "wpa_supplicant on " + m.baseIface() + " does not answer yet"
          : "wpa_supplicant on " + m.baseIface() + " is not running (" + s.tail() + ")";
    }
    if ("Yes".equals(st.get("Secured"))) {
      // wpa_supplicant opens the controlled port by setting the MACsec link up (and closes it by
      // setting it down): secured but still down means the SAK is not installed on both sides.
      return adminUp(name)
          ? null
          : "MACsec key agreement on "
              + m.baseIface()
              + " is secured but has not opened "
              + name
              + " yet (the link is still down)";
    }
    return "MACsec key agreement on "
        + m.baseIface()
        + " has not secured "
        + name
        + " yet (PAE KaY status="
        + st.getOrDefault("PAE KaY status", "?")
        + ", Authenticated="
        + st.getOrDefault("Authenticated", "?")
        + ", Secured="
        + st.getOrDefault("Secured", "?")
        + ", Failed="
        + st.getOrDefault("Failed", "?")
        + "; no peer with the same CAK/CKN answered)";
  }

  /** Whether {@code name} is administratively up in the target's namespace. */
  private boolean adminUp(String name) {
    var cmd = new java.util.ArrayList<String>(java.util.List.of("ip"));
    if (target.netns() != null) {
      cmd.addAll(java.util.List.of("-n", target.netns()));
    }
    cmd.addAll(java.util.List.of("-o", "link", "show", "dev", name));
    try {
      var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return false;
      }
      int open = out.indexOf('<');
      int close = out.indexOf('>', open + 1);
      return open >= 0
          && close > open
          && java.util.Arrays.asList(out.substring(open + 1, close).split(",")).contains("UP");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private interface Check {
    String whyNot(String name, long now);
  }

  @Override
  public Map<String, String> await(Collection<String> names, Instant deadline) {
    return poll(names, deadline, this::whyNot);
  }

  private Map<String, String> poll(Collection<String> names, Instant deadline, Check check) {
    var pending = new LinkedHashMap<String, String>();
    while (true) {
      pending.clear();
      long now = System.currentTimeMillis();
      for (var name : names) {
        var why = check.whyNot(name, now);
        if (why != null) {
          pending.put(name, why);
        }
      }
      if (pending.isEmpty()) {
        return null;
      }
      boolean failedForGood = pending.values().stream().allMatch(w -> w.startsWith(FAILED));
      if (failedForGood || now >= deadline.toEpochMilli()) {
        return pending;
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return pending;
      }
    }
  }

  private static final String FAILED = "authentication failed";

  /** Null when {@code name} is authenticated, else why not (its supplicant's state). */
  private String whyNot(String name, long now) {
    Supplicant s;
    Ieee8021x x;
    long since;
    synchronized (this) {
      s = running.get(name);
      x = settings.get(name);
      since = startedAt.getOrDefault(name, now);
    }
    if (s == null) {
      return "no supplicant runs on " + name;
    }
    var st = s.status();
    if (st.isEmpty()) {
      return s.alive()
          ? "wpa_supplicant does not answer yet"
          : "wpa_supplicant is not running (" + s.tail() + ")";
    }
    var pae = st.getOrDefault("Supplicant PAE state", "?");
    var eap = st.getOrDefault("EAP state", "?");
    var port = st.getOrDefault("suppPortStatus", "?");
    if ("Authorized".equals(port) && "SUCCESS".equals(eap)) {
      return null;
    }
    var state = "EAP state=" + eap + ", Supplicant PAE state=" + pae + ", suppPortStatus=" + port;
    // HELD: the authenticator refused us; the supplicant waits heldPeriod (60 s) before trying
    // again, so waiting longer cannot help this apply.
    if ("HELD".equals(pae) || "FAILURE".equals(eap)) {
      return FAILED + " on " + name + " (" + state + ")";
    }
    if (x != null && x.authTimeout() != null && now - since > x.authTimeout() * 1000) {
      return FAILED
          + " on "
          + name
          + ": not authenticated within auth-timeout "
          + x.authTimeout()
          + " s ("
          + state
          + ")";
    }
    return name + " not authenticated yet (" + state + ")";
  }

  /** Each interface's authentication state (for show and the NNS): true when authorized. */
  public Map<String, Boolean> authorized() {
    var out = new TreeMap<String, Boolean>();
    long now = System.currentTimeMillis();
    for (var name : settings().keySet()) {
      out.put(name, whyNot(name, now) == null);
    }
    return out;
  }

  /**
   * The process of {@code name}'s supplicant, 802.1x or (MACsec interface) MKA (tests), or null.
   */
  public synchronized ProcessHandle process(String name) {
    var s = running.containsKey(name) ? running.get(name) : runningMka.get(name);
    return s == null || s.process() == null ? null : s.process().toHandle();
  }

  private Path configFile(String name) {
    return dir.resolve(name + ".conf");
  }

  private Map<String, MkaConfig> readSavedMka() {
    return SecretFiles.read(dir.resolve("mka.json"), MKA_TYPE);
  }

  private Map<String, Ieee8021x> readSaved() {
    return SecretFiles.read(dir.resolve("settings.json"), TYPE);
  }

  /**
   * Stops every supplicant (the configurations stay saved: the next start resumes them) and removes
   * the control directory.
   */
  @Override
  public synchronized void close() {
    for (var s : running.values()) {
      s.stop();
    }
    running.clear();
    for (var s : runningMka.values()) {
      s.stop();
    }
    runningMka.clear();
    try (var files = Files.list(controlDir)) {
      files.forEach(SecretFiles::delete);
    } catch (IOException e) {
      // nothing to remove
    }
    SecretFiles.delete(controlDir);
  }
}
