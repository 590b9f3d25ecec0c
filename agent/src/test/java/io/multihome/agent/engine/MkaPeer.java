package io.multihome.agent.engine;

import io.multihome.agent.netlink.NamedNetns;
import io.multihome.testkit.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The other party of MACsec Key Agreement: eth1-p, the peer end of an {@link EngineNetns}'s eth1,
 * moved into a namespace of its own, where a second wpa_supplicant ({@code -D macsec_linux}) runs
 * key agreement with the given CAK and CKN.
 */
final class MkaPeer implements AutoCloseable {

  final String netns = "mh-mk-" + UUID.randomUUID().toString().substring(0, 8);
  private final Path dir;
  private Process wpa;

  /** Why key agreement cannot run in {@code ns} (no wpa_supplicant, no macsec module), or null. */
  static String missing(EngineNetns ns) {
    if (!io.multihome.agent.dot1x.SupplicantService.installed()) {
      return "wpa_supplicant and wpa_cli (Debian package wpasupplicant) are not installed";
    }
    try {
      ns.ip("link", "add", "link", "eth2", "mhprobe0", "type", "macsec");
      ns.ip("link", "del", "mhprobe0");
      return null;
    } catch (RuntimeException e) {
      return "kernel lacks macsec links (module macsec) [" + e.getMessage() + "]";
    }
  }

  MkaPeer(EngineNetns ns, String cak, String ckn) throws IOException {
    dir = Files.createTempDirectory("mh-mka-peer-");
    NamedNetns.create(netns);
    try {
      ns.ip("link", "set", "eth1-p", "netns", netns);
      Commands.run(
          List.of("ip", "-n", netns, "link", "set", "eth1-p", "up"), Duration.ofSeconds(30));
      Files.writeString(
          dir.resolve("wpa.conf"),
          String.join(
              "\n",
              "ctrl_interface=" + dir.resolve("ctl"),
              "ap_scan=0",
              "network={",
              "  key_mgmt=NONE",
              "  eapol_flags=0",
              "  macsec_policy=1",
              "  macsec_integ_only=0",
              "  mka_cak=" + cak,
              "  mka_ckn=" + ckn,
              "}",
              ""));
      wpa =
          new ProcessBuilder(
                  "ip",
                  "netns",
                  "exec",
                  netns,
                  "/usr/sbin/wpa_supplicant",
                  "-D",
                  "macsec_linux",
                  "-i",
                  "eth1-p",
                  "-c",
                  dir.resolve("wpa.conf").toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("log").toFile())
              .start();
    } catch (RuntimeException | IOException e) {
      close();
      throw e;
    }
  }

  String ip(String... args) {
    var cmd = new ArrayList<>(List.of("ip", "-n", netns));
    cmd.addAll(List.of(args));
    return Commands.run(cmd, Duration.ofSeconds(30));
  }

  @Override
  public void close() {
    if (wpa != null) {
      io.multihome.testkit.Commands.stop(wpa);
    }
    try {
      NamedNetns.delete(netns);
    } catch (RuntimeException e) {
      // not created
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }

  Path dir() {
    return dir;
  }
}
