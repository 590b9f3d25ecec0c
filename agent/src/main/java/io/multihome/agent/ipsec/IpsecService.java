package io.multihome.agent.ipsec;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.multihome.agent.engine.IpsecConnections;
import io.multihome.agent.engine.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ipsec connections of one target (a node's namespace), run by a private libreswan {@link
 * Pluto}. Everything lives in {@code <state-dir>/ipsec/<netns|host>/} (0700): the connections as
 * given ({@code connections.json}, 0600, keys inside), the rendered {@code ipsec.conf} and {@code
 * ipsec.secrets} (0600) pluto reads, its NSS database ({@code nss/}, where x509 certificates are
 * imported), {@code ipsec.d/} and its log. pluto detaches, so connections outlive the agent or
 * command that configured them; whoever opens the service next finds the daemon by its pid file, or
 * starts it again and re-adds the saved connections. The daemon stops when the last connection is
 * deleted. Keys are never logged.
 */
public final class IpsecService implements IpsecConnections, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IpsecService.class);
  private static final ObjectMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private static final TypeReference<Map<String, Connection>> TYPE = new TypeReference<>() {};
  private static final long POLL_MS = 200;
  private static final Pattern TRAFFIC =
      Pattern.compile(
          "#\\d+: \"([^\"]+)\"(?:\\[\\d+\\])?[^,]*,.*?(?:lease=([0-9A-Fa-f.:]+)/\\d+)?$");

  private final Target target;
  private final Path dir;
  private final Pluto pluto;
  private final Map<String, Connection> connections = new TreeMap<>();

  private IpsecService(Target target, Path stateDir) {
    this.target = target;
    // Created when first needed: show and plan run where the state dir may not be writable.
    this.dir = stateDir.resolve("ipsec").resolve(target.label());
    this.pluto = new Pluto(target, dir);
  }

  /**
   * The service of {@code target}: its saved connections, and its daemon started again (with them)
   * if it died. Starts nothing when there are none.
   */
  public static IpsecService open(Target target, Path stateDir) {
    var s = new IpsecService(target, stateDir);
    s.connections.putAll(s.readSaved());
    if (!s.connections.isEmpty()) {
      synchronized (s) {
        s.resume();
      }
    }
    return s;
  }

  /** Why ipsec is refused where {@link #installed} is false. */
  public static final String NOT_INSTALLED =
      "libreswan's IKE daemon (pluto, addconn, whack) and the NSS tools (certutil), which are not"
          + " installed on this node (Debian packages libreswan and libnss3-tools)";

  /** Whether libreswan and the NSS tools are installed (Debian: libreswan, libnss3-tools). */
  public static boolean installed() {
    return List.of(Pluto.PLUTO, Pluto.ADDCONN, Pluto.WHACK, Pluto.IPSEC, Pluto.CERTUTIL).stream()
        .allMatch(p -> Files.isExecutable(Path.of(p)));
  }

  /** The NSS database pluto reads certificates from (x509: import them here). */
  public Path nssDir() {
    pluto.initNss();
    return pluto.nss();
  }

  @Override
  public synchronized Map<String, Connection> connections() {
    return new LinkedHashMap<>(connections);
  }

  @Override
  public synchronized void configure(Map<String, Connection> changes) {
    var next = new TreeMap<>(connections);
    changes.forEach(
        (name, want) -> {
          if (want == null) {
            next.remove(name);
          } else {
            next.put(name, want);
          }
        });
    Pluto.mkdirs(dir);
    if (next.isEmpty()) {
      connections.clear();
      save();
      pluto.shutdown();
      return;
    }
    writeFiles(next);
    // A daemon that died (or never ran) gets every connection, not only the changed ones.
    boolean fresh = !pluto.running();
    pluto.ensureStarted();
    if (!fresh) {
      for (var name : changes.keySet()) {
        if (connections.containsKey(name)) {
          pluto.whack(List.of("--delete", "--name", name));
        }
      }
    }
    connections.clear();
    connections.putAll(next);
    save();
    var reread = pluto.whack(List.of("--rereadsecrets"));
    if (!reread.ok()) {
      throw new IllegalStateException("pluto did not read the secrets: " + reread.output());
    }
    var adding = new TreeMap<String, Connection>();
    if (fresh) {
      adding.putAll(next);
    } else {
      changes.forEach(
          (name, c) -> {
            if (c != null) {
              adding.put(name, c);
            }
          });
    }
    adding.forEach(this::add);
  }

  /** Adds {@code name} to the daemon and starts its negotiation unless it is down. */
  private void add(String name, Connection c) {
    var added = pluto.addconn(name);
    if (!added.ok()) {
      throw new IllegalStateException(
          "libreswan refused connection " + name + ": " + added.output().replace('\n', ' '));
    }
    if (!c.down()) {
      var up = pluto.whack(List.of("--initiate", "--asynchronous", "--name", name));
      if (!up.ok()) {
        throw new IllegalStateException(
            "cannot initiate " + name + ": " + up.output().replace('\n', ' '));
      }
    }
    log.info("ipsec connection {} added to pluto of {}", name, target.label());
  }

  /** The daemon died (or the node rebooted): start it with the saved connections. */
  private void resume() {
    if (pluto.running()) {
      return;
    }
    try {
      writeFiles(connections);
      pluto.ensureStarted();
      pluto.whack(List.of("--rereadsecrets"));
      connections.forEach(this::add);
      log.info("ipsec connections of {} resumed: {}", target.label(), connections.keySet());
    } catch (RuntimeException e) {
      log.warn("cannot resume the ipsec connections of {}: {}", target.label(), e.getMessage());
    }
  }

  @Override
  public Map<String, String> await(Collection<String> names, Instant deadline) {
    var pending = new LinkedHashMap<String, String>();
    while (true) {
      pending.clear();
      var status = status();
      for (var name : names) {
        var why = whyNot(name, status.get(name));
        if (why != null) {
          pending.put(name, why);
        }
      }
      if (pending.isEmpty()) {
        return null;
      }
      if (System.currentTimeMillis() >= deadline.toEpochMilli()) {
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

  private String whyNot(String name, Status s) {
    Connection c;
    synchronized (this) {
      c = connections.get(name);
    }
    if (c == null) {
      return "no ipsec connection " + name;
    }
    if (s == null || !s.established()) {
      return "no Child SA established for "
          + name
          + " ("
          + (s == null || s.detail().isEmpty()
              ? "no IKE SA either: the peer did not answer, or refused and pluto tries again"
              : s.detail())
          + ")";
    }
    if (c.modeConfig()) {
      if (s.lease() == null) {
        return name + " is established, but the peer handed out no address (IKE mode config)";
      }
      if (!onNode(s.lease())) {
        return name + ": the mode-config address " + s.lease() + " is not on the node yet";
      }
    }
    return null;
  }

  /** Whether {@code ip} is an address of some interface in the target's namespace. */
  private boolean onNode(String ip) {
    var cmd = new java.util.ArrayList<String>(List.of("ip"));
    if (target.netns() != null) {
      cmd.addAll(List.of("-n", target.netns()));
    }
    cmd.addAll(List.of("-o", "addr", "show"));
    var r = Pluto.exec(cmd);
    return r.ok() && r.output().contains(" " + ip + "/");
  }

  @Override
  public Map<String, Status> status() {
    Map<String, Connection> now;
    synchronized (this) {
      now = new TreeMap<>(connections);
    }
    var out = new TreeMap<String, Status>();
    if (now.isEmpty()) {
      return out;
    }
    if (!pluto.running()) {
      now.keySet().forEach(n -> out.put(n, new Status(false, null, "pluto is not running")));
      return out;
    }
    var leases = new TreeMap<String, String>();
    var established = new java.util.HashSet<String>();
    for (var line : pluto.whack(List.of("--trafficstatus")).output().split("\n")) {
      var m = TRAFFIC.matcher(line.strip());
      if (m.find() && line.contains("type=ESP")) {
        established.add(m.group(1));
        if (m.group(2) != null) {
          leases.put(m.group(1), m.group(2));
        }
      }
    }
    var states = new TreeMap<String, List<String>>();
    for (var line : pluto.whack(List.of("--showstates")).output().split("\n")) {
      for (var name : now.keySet()) {
        if (line.contains("\"" + name + "\"")) {
          states
              .computeIfAbsent(name, k -> new java.util.ArrayList<>())
              .add(line.replaceFirst("^\\d+ ", "").strip().replaceFirst(";$", ""));
        }
      }
    }
    for (var name : now.keySet()) {
      out.put(
          name,
          new Status(
              established.contains(name),
              leases.get(name),
              String.join("; ", states.getOrDefault(name, List.of()))));
    }
    return out;
  }

  @Override
  public String certificateProblem(String nickname) {
    pluto.initNss();
    var r = pluto.certutil(List.of("-L", "-n", nickname));
    return r.ok()
        ? null
        : "no certificate named "
            + nickname
            + " in the IPsec NSS database "
            + pluto.nss()
            + " (import the certificate with its key: pk12util -i FILE.p12 -d sql:"
            + pluto.nss()
            + "; the CA that signed the peer's: certutil -A -d sql:"
            + pluto.nss()
            + " -n NAME -t CT,, -a -i CA.pem)";
  }

  /** The daemon's process (tests), or null. */
  public ProcessHandle process() {
    long pid = pluto.pid();
    return pid > 0 ? ProcessHandle.of(pid).orElse(null) : null;
  }

  /**
   * The end of the daemon's log (tests: failure messages). pluto buffers its log file, so a running
   * daemon's last lines may not be in it yet.
   */
  public String logTail(int lines) {
    return pluto.tail(lines);
  }

  /** The control socket of the daemon (tests: whack through it). */
  public Path controlSocket() {
    return pluto.control();
  }

  /** Stops the daemon whatever it runs (tests, and removing a node); connections stay saved. */
  public synchronized void stop() {
    pluto.shutdown();
  }

  /** Holds nothing: the daemon and its connections outlive the service object. */
  @Override
  public void close() {}

  private void writeFiles(Map<String, Connection> all) {
    var conf = new StringBuilder();
    conf.append("# Written by multihome for ").append(target.label()).append("; do not edit.\n");
    conf.append("config setup\n\tlogfile=").append(pluto.logFile()).append("\n\n");
    var secrets = new StringBuilder();
    all.forEach(
        (name, c) -> {
          conf.append(c.conf(name)).append('\n');
          var l = c.libreswan();
          if (l.psk() != null) {
            var b64 = Base64.getEncoder().encodeToString(l.psk().getBytes(StandardCharsets.UTF_8));
            secrets
                .append(selector(Connection.identity(l.leftid(), l.left())))
                .append(' ')
                .append(selector(Connection.identity(l.rightid(), l.right())))
                .append(" : PSK 0s")
                .append(b64)
                .append('\n');
          }
        });
    writePrivate(pluto.config(), conf.toString());
    writePrivate(pluto.secrets(), secrets.toString());
  }

  /** A secrets-file selector for an end: %any where the end is not one fixed identity. */
  private static String selector(String identity) {
    return identity == null || identity.startsWith("%") ? "%any" : identity;
  }

  private void save() {
    try {
      writePrivate(dir.resolve("connections.json"), JSON.writeValueAsString(connections));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Map<String, Connection> readSaved() {
    var file = dir.resolve("connections.json");
    try {
      return Files.exists(file) ? JSON.readValue(Files.readAllBytes(file), TYPE) : Map.of();
    } catch (IOException e) {
      log.warn("ignoring unreadable {}: {}", file, e.toString());
      return Map.of();
    }
  }

  /** Written 0600 before any byte is in it, then renamed over the old file. */
  private static void writePrivate(Path file, String text) {
    try {
      var tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, text);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
