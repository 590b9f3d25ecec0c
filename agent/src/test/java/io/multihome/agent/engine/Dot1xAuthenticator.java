package io.multihome.agent.engine;

import io.multihome.agent.netlink.NamedNetns;
import io.multihome.testkit.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * An 802.1X authenticator for an {@link EngineNetns}: its eth1-p is moved into a namespace of its
 * own ({@code mh-au-XXXXXXXX}, so the two ends of the veth are two machines), where {@code hostapd
 * -D wired} with its internal EAP server authenticates {@code client.example.org} by EAP-TLS
 * (certificates of {@link Dot1xPki}) or PEAP/MSCHAPv2 (password "password"). Close stops hostapd
 * and deletes its namespace (the veth goes with it).
 */
final class Dot1xAuthenticator implements AutoCloseable {
  static final String HOSTAPD = "/usr/sbin/hostapd";

  final String netns;
  private final boolean own;
  private final Path dir;
  private Process hostapd;

  private Dot1xAuthenticator(String netns, boolean own, Path dir) {
    this.netns = netns;
    this.own = own;
    this.dir = dir;
  }

  /** On eth1-p moved into a namespace of its own. */
  static Dot1xAuthenticator start(EngineNetns ns) throws IOException {
    return start(ns, true);
  }

  /**
   * On eth1-p where it is, in {@code ns} (where other servers such as dnsmasq may use it too):
   * hostapd's wired driver only listens for EAPOL frames.
   */
  static Dot1xAuthenticator beside(EngineNetns ns) throws IOException {
    return start(ns, false);
  }

  private static Dot1xAuthenticator start(EngineNetns ns, boolean own) throws IOException {
    var pki = Dot1xPki.dir();
    var name = own ? "mh-au-" + UUID.randomUUID().toString().substring(0, 8) : ns.name;
    var dir = Files.createTempDirectory("mh-hostapd-");
    if (own) {
      NamedNetns.create(name);
    }
    var a = new Dot1xAuthenticator(name, own, dir);
    try {
      if (own) {
        ns.ip("link", "set", "eth1-p", "netns", name);
        run("ip", "-n", name, "link", "set", "eth1-p", "up");
      }
      Files.writeString(
          dir.resolve("eap_users"),
          "\"client.example.org\" TLS,PEAP\n"
              + "\"client.example.org\" MSCHAPV2 \"password\" [2]\n");
      Files.writeString(
          dir.resolve("hostapd.conf"),
          String.join(
              "\n",
              "interface=eth1-p",
              "driver=wired",
              "ieee8021x=1",
              "eap_reauth_period=0",
              "use_pae_group_addr=1",
              "eap_server=1",
              "eap_user_file=" + dir.resolve("eap_users"),
              "ca_cert=" + pki.resolve("ca.crt"),
              "server_cert=" + pki.resolve("server.crt"),
              "private_key=" + pki.resolve("server.key"),
              "ctrl_interface=" + dir.resolve("ctl"),
              "logger_stdout=-1",
              "logger_stdout_level=1",
              ""));
      a.hostapd =
          new ProcessBuilder(
                  "ip", "netns", "exec", name, HOSTAPD, dir.resolve("hostapd.conf").toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("hostapd.log").toFile())
              .start();
      // hostapd is ready once its control socket exists.
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Files.exists(dir.resolve("ctl").resolve("eth1-p")) || !a.hostapd.isAlive());
      if (!a.hostapd.isAlive()) {
        throw new IllegalStateException("hostapd did not start: " + a.log());
      }
      return a;
    } catch (RuntimeException | IOException e) {
      a.close();
      throw e;
    }
  }

  String log() {
    try {
      return Files.readString(dir.resolve("hostapd.log"));
    } catch (IOException e) {
      return "";
    }
  }

  private static String run(String... cmd) {
    return Commands.run(List.of(cmd), Duration.ofSeconds(30));
  }

  @Override
  public void close() {
    if (hostapd != null) {
      io.multihome.testkit.Commands.stop(hostapd);
    }
    if (own) {
      try {
        NamedNetns.delete(netns);
      } catch (RuntimeException e) {
        // not created
      }
    }
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }
}
