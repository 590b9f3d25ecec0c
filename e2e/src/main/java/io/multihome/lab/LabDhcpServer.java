package io.multihome.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real DHCP server for the lab: Debian's dnsmasq, DHCP only (its DNS port is 0), run inside a
 * namespace the lab created and bound to one interface there, serving a 198.18.x pool. The lab runs
 * it on the fabric bridge ({@link #LAB_SUBNET}), so whatever is cabled to the fabric — a node's
 * {@code eth1} moved into a pod by host-device, a macvlan on it, a bridge port — gets a lease the
 * way it would from a site DHCP server. It hands out no router and no DNS server: a lease must not
 * give a pod a second default route. Lab-only (product code never imports it); reused by whatever
 * needs a DHCP server in a namespace (attachments with dhcp IPAM, node DHCP).
 */
public final class LabDhcpServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LabDhcpServer.class);

  /** The lab's DHCP segment: the fabric bridge, 198.18.64.0/24. */
  public static final String LAB_SUBNET = "198.18.64.0/24";

  /** The server's own address on the lab's DHCP segment. */
  public static final String LAB_SERVER = "198.18.64.254";

  /**
   * @param netns the namespace dnsmasq runs in (it must hold {@code iface})
   * @param iface the interface it serves; {@code serverCidr} is added to it
   * @param serverCidr the server's address with prefix (from 198.18.0.0/15)
   * @param rangeStart first address handed out
   * @param rangeEnd last address handed out
   * @param leaseTime lease duration (dnsmasq's minimum is 2 minutes)
   */
  public record Settings(
      String netns,
      String iface,
      String serverCidr,
      String rangeStart,
      String rangeEnd,
      Duration leaseTime,
      List<String> options,
      String server6Cidr,
      List<String> ranges6) {

    public Settings {
      if (!serverCidr.startsWith("198.18.") && !serverCidr.startsWith("198.19.")) {
        throw new IllegalArgumentException("lab DHCP serves 198.18.0.0/15 only: " + serverCidr);
      }
      if (server6Cidr != null && !server6Cidr.startsWith("2001:db8:")) {
        throw new IllegalArgumentException("lab DHCPv6 serves 2001:db8::/32 only: " + server6Cidr);
      }
      options = List.copyOf(options);
      ranges6 = List.copyOf(ranges6);
    }

    public Settings(
        String netns,
        String iface,
        String serverCidr,
        String rangeStart,
        String rangeEnd,
        Duration leaseTime) {
      this(netns, iface, serverCidr, rangeStart, rangeEnd, leaseTime, List.of(), null, List.of());
    }

    /**
     * With more dnsmasq DHCP options ({@code --dhcp-option} values such as {@code 3,198.18.70.254}
     * for a router, {@code option:T1,5} for a short renewal time; an entry starting with {@code --}
     * is a whole dnsmasq argument, e.g. {@code --ra-param=srv0,3} or {@code --no-ping}). Unless
     * they give option 3 or 6, the server hands out no router and no DNS server.
     */
    public Settings withOptions(String... more) {
      var all = new ArrayList<>(options);
      all.addAll(List.of(more));
      return new Settings(
          netns, iface, serverCidr, rangeStart, rangeEnd, leaseTime, all, server6Cidr, ranges6);
    }

    /**
     * Also DHCPv6 and router advertisements: {@code serverCidr6} (2001:db8::/32) is added to the
     * interface; each of {@code ranges} is a dnsmasq IPv6 {@code --dhcp-range} ({@code
     * 2001:db8:70::100,2001:db8:70::1ff,64,2m} for stateful DHCPv6, {@code 2001:db8:71::,ra-only}
     * for SLAAC), and dnsmasq sends router advertisements ({@code --enable-ra}).
     */
    public Settings withIpv6(String serverCidr6, String... ranges) {
      return new Settings(
          netns,
          iface,
          serverCidr,
          rangeStart,
          rangeEnd,
          leaseTime,
          options,
          serverCidr6,
          List.of(ranges));
    }

    /** The lab's segment on {@code iface} of {@code netns}: .100-.199 of {@link #LAB_SUBNET}. */
    public static Settings lab(String netns, String iface) {
      return new Settings(
          netns, iface, LAB_SERVER + "/24", "198.18.64.100", "198.18.64.199", Duration.ofHours(1));
    }

    /** Whether {@link #options} sets DHCP option {@code code} (by number or dnsmasq name). */
    boolean gives(String code, String name) {
      return options.stream().anyMatch(o -> o.startsWith(code + ",") || o.startsWith(name + ","));
    }

    String netmask() {
      int prefix = Integer.parseInt(serverCidr.substring(serverCidr.indexOf('/') + 1));
      long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
      return (mask >> 24)
          + "."
          + ((mask >> 16) & 255)
          + "."
          + ((mask >> 8) & 255)
          + "."
          + (mask & 255);
    }
  }

  /** One line of dnsmasq's lease file. */
  public record Lease(long expiry, String mac, String ip, String clientId) {}

  private final Settings settings;
  private final Path dir;
  private final Process process;
  private final List<String> output = new ArrayList<>();

  private LabDhcpServer(Settings settings, Path dir, Process process) {
    this.settings = settings;
    this.dir = dir;
    this.process = process;
  }

  /**
   * Adds the server address to the interface and starts dnsmasq; returns once it serves DHCP.
   *
   * @param dir a directory of the caller's for the lease and pid files
   */
  public static LabDhcpServer start(Settings settings, Path dir) throws IOException {
    Files.createDirectories(dir);
    run(
        "ip",
        "-n",
        settings.netns(),
        "addr",
        "add",
        settings.serverCidr(),
        "dev",
        settings.iface());
    if (settings.server6Cidr() != null) {
      run(
          "ip",
          "-n",
          settings.netns(),
          "addr",
          "add",
          settings.server6Cidr(),
          "dev",
          settings.iface(),
          "nodad");
    }
    var command =
        new ArrayList<>(
            List.of(
                "ip",
                "netns",
                "exec",
                settings.netns(),
                "dnsmasq",
                "--keep-in-foreground",
                "--conf-file=/dev/null",
                "--no-resolv",
                "--no-hosts",
                "--port=0",
                "--interface=" + settings.iface(),
                "--bind-interfaces",
                "--dhcp-authoritative",
                "--dhcp-range="
                    + settings.rangeStart()
                    + ","
                    + settings.rangeEnd()
                    + ","
                    + settings.netmask()
                    + ","
                    + settings.leaseTime().toSeconds(),
                // No router, no DNS server: the lease must not add a default route to a pod.
                "--dhcp-leasefile=" + dir.resolve("leases"),
                "--pid-file=" + dir.resolve("dnsmasq.pid"),
                "--user=root",
                "--log-facility=-",
                "--log-dhcp"));
    // No router, no DNS server unless asked for: a lease must not add a default route to a pod.
    if (!settings.gives("3", "option:router")) {
      command.add("--dhcp-option=3");
    }
    if (!settings.gives("6", "option:dns-server")) {
      command.add("--dhcp-option=6");
    }
    for (var o : settings.options()) {
      // A whole dnsmasq argument ("--ra-param=...") as given, else a --dhcp-option value.
      command.add(o.startsWith("--") ? o : "--dhcp-option=" + o);
    }
    for (var r : settings.ranges6()) {
      command.add("--dhcp-range=" + r);
    }
    if (settings.server6Cidr() != null) {
      command.add("--enable-ra");
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    var server = new LabDhcpServer(settings, dir, process);
    try {
      server.awaitServing(Duration.ofSeconds(10));
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    LOG.info(
        "DHCP server (dnsmasq pid {}) on {} in {}: {}-{}",
        process.pid(),
        settings.iface(),
        settings.netns(),
        settings.rangeStart(),
        settings.rangeEnd());
    return server;
  }

  private void awaitServing(Duration timeout) throws IOException {
    var ready = new CompletableFuture<Void>();
    var reader =
        new Thread(
            () -> {
              try (var in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  synchronized (output) {
                    output.add(line);
                    if (output.size() > 200) {
                      output.remove(0);
                    }
                  }
                  LOG.debug("dnsmasq: {}", line);
                  if (line.contains("DHCP, IP range")) {
                    ready.complete(null);
                  }
                }
              } catch (IOException e) {
                // process ended
              }
              ready.completeExceptionally(new IOException("dnsmasq exited: " + outputText()));
            },
            "lab-dnsmasq-output");
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IOException("dnsmasq did not start within " + timeout + ": " + outputText());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted waiting for dnsmasq");
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException(e.getCause().getMessage(), e.getCause());
    }
  }

  public Settings settings() {
    return settings;
  }

  /** The server's address without prefix. */
  public String serverAddress() {
    return settings.serverCidr().substring(0, settings.serverCidr().indexOf('/'));
  }

  /** The leases dnsmasq has written (it rewrites the file on every change). */
  public List<Lease> leases() {
    Path file = dir.resolve("leases");
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      var leases = new ArrayList<Lease>();
      for (String line : Files.readAllLines(file)) {
        String[] f = line.trim().split("\\s+");
        if (f.length >= 5) {
          leases.add(new Lease(Long.parseLong(f[0]), f[1], f[2], f[4]));
        }
      }
      return leases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** dnsmasq's recent log lines (DHCPDISCOVER/OFFER/REQUEST/ACK/RELEASE with --log-dhcp). */
  public String outputText() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  /** Stops dnsmasq and removes the address it served from. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (var cidr : new String[] {settings.serverCidr(), settings.server6Cidr()}) {
      if (cidr == null) {
        continue;
      }
      try {
        run("ip", "-n", settings.netns(), "addr", "del", cidr, "dev", settings.iface());
      } catch (IOException | RuntimeException e) {
        LOG.debug("removing {} from {}: {}", cidr, settings.iface(), e.toString());
      }
    }
  }

  private static void run(String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command));
    }
  }
}
