package io.multihome.agent.engine;

import io.multihome.agent.netlink.NamedNetns;
import io.multihome.testkit.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * The IKE peer of an {@link EngineNetns} for IPsec tests: a namespace {@code mh-ir-XXXXXXXX} that
 * takes the engine namespace's {@code eth1-p} (so the node's eth1 is cabled to it), an address on
 * it, and a libreswan pluto of its own (configuration, run directory, NSS database and secrets in a
 * temp directory; never the host's) answering as {@code responder}: pre-shared key or x509, and
 * with {@code pool} an IKE mode-config server handing out addresses from it. Written apart from the
 * product's service, with plain commands, so the tests do not check the service against itself.
 * {@link #close} stops pluto, gives eth1-p back and deletes the namespace.
 *
 * @see #espMissing for the kernel feature the Child SAs need
 */
final class IpsecResponder implements AutoCloseable {
  private static final String PLUTO = "/usr/libexec/ipsec/pluto";
  private static final String WHACK = "/usr/libexec/ipsec/whack";

  /** How the responder authenticates and what it hands out. */
  record Options(
      String address,
      String id,
      String peerId,
      String psk,
      IpsecPki pki,
      String cert,
      String pool) {
    /** Pre-shared key; {@code pool} null: no mode config. */
    static Options psk(String address, String id, String peerId, String psk, String pool) {
      return new Options(address, id, peerId, psk, null, null, pool);
    }

    /** x509: its certificate {@code cert} (nickname and DNS name) from {@code pki}. */
    static Options x509(String address, IpsecPki pki, String cert, String pool) {
      return new Options(address, "@" + cert, "%fromcert", null, pki, cert, pool);
    }
  }

  final String name;
  private final EngineNetns node;
  private final Path dir;

  private IpsecResponder(EngineNetns node, Path dir) {
    this.name = "mh-ir-" + UUID.randomUUID().toString().substring(0, 8);
    this.node = node;
    this.dir = dir;
  }

  /** Starts the responder behind {@code node}'s eth1 (its peer end eth1-p moves here). */
  static IpsecResponder beside(EngineNetns node, Options o) throws IOException {
    var r = new IpsecResponder(node, Files.createTempDirectory("mh-ipsec-responder"));
    NamedNetns.create(r.name);
    try {
      node.ip("link", "set", "eth1-p", "netns", r.name);
      r.ip("link", "set", "lo", "up");
      r.ip("link", "set", "eth1-p", "up");
      r.ip("addr", "add", o.address(), "dev", "eth1-p");
      r.start(o);
      return r;
    } catch (RuntimeException | IOException e) {
      r.close();
      throw e;
    }
  }

  private void start(Options o) throws IOException {
    var nss = dir.resolve("nss");
    Files.createDirectories(nss);
    Files.createDirectories(dir.resolve("run"));
    Files.createDirectories(dir.resolve("ipsec.d"));
    run(List.of("ipsec", "initnss", "--nssdir", nss.toString()));
    var own = o.address().substring(0, o.address().indexOf('/'));
    var conf = new StringBuilder("config setup\n\tlogfile=" + dir.resolve("pluto.log") + "\n\n");
    conf.append("conn responder\n\tleft=").append(own).append('\n');
    conf.append("\tleftid=").append(o.id()).append('\n');
    conf.append("\tright=%any\n\trightid=").append(o.peerId()).append('\n');
    conf.append("\tikev2=insist\n");
    if (o.psk() != null) {
      conf.append("\tauthby=secret\n");
      Files.writeString(
          dir.resolve("secrets"), o.id() + " " + o.peerId() + " : PSK \"" + o.psk() + "\"\n");
    } else {
      o.pki().importInto(nss, o.cert());
      conf.append("\tleftcert=").append(o.cert()).append("\n\trightca=%same\n");
      Files.writeString(dir.resolve("secrets"), ": RSA \"" + o.cert() + "\"\n");
    }
    if (o.pool() != null) {
      conf.append("\trightaddresspool=").append(o.pool()).append('\n');
      // Answers to the handed-out addresses leave through the tunnel: route them to the peer.
      var first = o.pool().substring(0, o.pool().indexOf('-'));
      ip("route", "add", first.substring(0, first.lastIndexOf('.')) + ".0/24", "dev", "eth1-p");
    }
    Files.writeString(dir.resolve("ipsec.conf"), conf.toString());
    run(
        List.of(
            "ip",
            "netns",
            "exec",
            name,
            PLUTO,
            "--config",
            dir.resolve("ipsec.conf").toString(),
            "--rundir",
            dir.resolve("run").toString(),
            "--nssdir",
            nss.toString(),
            "--ipsecdir",
            dir.resolve("ipsec.d").toString(),
            "--secretsfile",
            dir.resolve("secrets").toString(),
            "--logfile",
            dir.resolve("pluto.log").toString()));
    long until = System.currentTimeMillis() + 15_000;
    while (!whackOk("--globalstatus")) {
      if (System.currentTimeMillis() > until) {
        throw new IllegalStateException("responder pluto did not answer: " + log());
      }
      pause();
    }
    // Interfaces found before the conn is added (pluto answers before it has listened).
    run(List.of(WHACK, "--ctlsocket", dir.resolve("run/pluto.ctl").toString(), "--listen"));
    run(
        List.of(
            "ip",
            "netns",
            "exec",
            name,
            "/usr/libexec/ipsec/addconn",
            "--config",
            dir.resolve("ipsec.conf").toString(),
            "--ctlsocket",
            dir.resolve("run/pluto.ctl").toString(),
            "responder"));
  }

  /** {@code whack --trafficstatus} of the responder (its Child SAs, with leases and bytes). */
  String trafficStatus() {
    return run(
        List.of(WHACK, "--ctlsocket", dir.resolve("run/pluto.ctl").toString(), "--trafficstatus"));
  }

  /**
   * The responder's pluto log after stopping it (pluto buffers its log file until it exits): for
   * failure messages only.
   */
  String stopAndLog() {
    stopPluto();
    return log();
  }

  /** The responder's pluto log. */
  String log() {
    try {
      return Files.readString(dir.resolve("pluto.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  String ip(String... args) {
    var cmd = new ArrayList<>(List.of("ip", "-n", name));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  private boolean whackOk(String arg) {
    try {
      run(List.of(WHACK, "--ctlsocket", dir.resolve("run/pluto.ctl").toString(), arg));
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  private long pid() {
    try {
      return Long.parseLong(Files.readString(dir.resolve("run/pluto.pid")).strip());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  private void stopPluto() {
    long pid = pid();
    if (pid > 0) {
      whackOk("--shutdown");
      ProcessHandle.of(pid)
          .ifPresent(
              h -> {
                try {
                  h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                  h.destroyForcibly();
                }
              });
    }
  }

  @Override
  public void close() {
    try {
      long pid = pid();
      if (pid > 0) {
        whackOk("--shutdown");
        var p = ProcessHandle.of(pid);
        p.ifPresent(
            h -> {
              try {
                h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
              } catch (Exception e) {
                h.destroyForcibly();
              }
            });
      }
    } finally {
      try {
        if (NamedNetns.exists(name)) {
          try {
            ip("addr", "flush", "dev", "eth1-p");
            ip("link", "set", "eth1-p", "netns", node.name);
          } catch (IllegalStateException e) {
            // eth1-p went with the node's namespace: nothing to give back
          }
          NamedNetns.delete(name);
        }
      } finally {
        try (var files = Files.walk(dir)) {
          files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
          // a temp directory
        }
      }
    }
  }

  /**
   * Null when the kernel installs ESP security associations (what every Child SA is), else what it
   * answered: tried once in a throwaway namespace with {@code ip xfrm state add}. The development
   * kernel answers ENOSYS (XFRM_MSG_NEWSA); the kernel-VM tier's has them.
   */
  static synchronized String espMissing() {
    if (espProbe == null) {
      var ns = "mh-xp-" + UUID.randomUUID().toString().substring(0, 8);
      NamedNetns.create(ns);
      try {
        run(
            List.of(
                "ip",
                "-n",
                ns,
                "xfrm",
                "state",
                "add",
                "src",
                "198.18.0.1",
                "dst",
                "198.18.0.2",
                "proto",
                "esp",
                "spi",
                "0x100",
                "mode",
                "tunnel",
                "enc",
                "cbc(aes)",
                "0x000102030405060708090a0b0c0d0e0f",
                "auth",
                "hmac(sha256)",
                "0x000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f"));
        espProbe = "";
      } catch (IllegalStateException e) {
        espProbe =
            "kernel lacks ESP security associations (XFRM_MSG_NEWSA; modules xfrm_user, esp4) ["
                + e.getMessage().strip()
                + "]";
      } finally {
        NamedNetns.delete(ns);
      }
    }
    return espProbe.isEmpty() ? null : espProbe;
  }

  private static String espProbe;

  static String run(List<String> cmd) {
    return Commands.run(cmd, Duration.ofSeconds(60));
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
