package io.multihome.e2e.dhcp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * busybox's {@code udhcpd} on {@code srv0} of a {@link DhcpLab}'s server namespace, for leases
 * shorter than dnsmasq allows (dnsmasq raises any lease under two minutes to two minutes; udhcpd
 * gives what its {@code option lease} says): 198.18.70.100-199/24 from {@link DhcpLab#SERVER},
 * which is also the router, with T1 and T2 sent as options 58 and 59. It logs each answer to its
 * output ({@code sending ACK to <address>}). Config, leases and output live in {@code dir}.
 */
final class ShortLeaseServer implements AutoCloseable {
  static final Path BUSYBOX = Path.of("/usr/bin/busybox");

  private final Process process;
  private final Path dir;

  private ShortLeaseServer(Process process, Path dir) {
    this.process = process;
    this.dir = dir;
  }

  /** Why it cannot run here, or null. */
  static String missing() {
    if (!Files.isExecutable(BUSYBOX)) {
      return BUSYBOX + " (Debian: busybox)";
    }
    try {
      var p = new ProcessBuilder(BUSYBOX.toString(), "--list").redirectErrorStream(true).start();
      var applets = new String(p.getInputStream().readAllBytes());
      p.waitFor(10, TimeUnit.SECONDS);
      return applets.lines().anyMatch("udhcpd"::equals) ? null : "busybox without udhcpd";
    } catch (IOException e) {
      return "busybox: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** udhcpd in {@code lab}'s server namespace: leases of {@code lease} s, T1 and T2 as given. */
  static ShortLeaseServer start(DhcpLab lab, Path dir, int lease, int t1, int t2)
      throws IOException {
    Files.createDirectories(dir);
    lab.server.ip("addr", "add", DhcpLab.SERVER + "/24", "dev", "srv0");
    Files.writeString(dir.resolve("leases"), "");
    Files.writeString(
        dir.resolve("udhcpd.conf"),
        String.join(
            "\n",
            List.of(
                "start 198.18.70.100",
                "end 198.18.70.199",
                "max_leases 100",
                "interface srv0",
                "lease_file " + dir.resolve("leases"),
                "pidfile " + dir.resolve("udhcpd.pid"),
                "option subnet 255.255.255.0",
                "option router " + DhcpLab.SERVER,
                "option lease " + lease,
                // No names for T1 and T2 in busybox: numeric options, 32-bit seconds in hex.
                String.format("option 58 %08x", t1),
                String.format("option 59 %08x", t2),
                "")));
    var p =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                lab.server.name(),
                BUSYBOX.toString(),
                "udhcpd",
                "-f",
                dir.resolve("udhcpd.conf").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("out").toFile())
            .start();
    return new ShortLeaseServer(p, dir);
  }

  String outputText() {
    try {
      return Files.readString(dir.resolve("out"));
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    io.multihome.testkit.Commands.stop(process);
  }
}
