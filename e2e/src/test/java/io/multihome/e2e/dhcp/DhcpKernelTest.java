package io.multihome.e2e.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.agent.engine.ApplyOptions;
import io.multihome.agent.engine.ApplyResult;
import io.multihome.agent.engine.Engine;
import io.multihome.state.ParseResult;
import io.multihome.state.StateParser;
import io.multihome.state.StateWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 1: the agent's DHCPv4 client against Debian's dnsmasq in namespaces (node {@code
 * mh-dh-*}, server {@code mh-dhs-*}, 198.18.70.0/24): lease, address lifetimes, routes and DNS as
 * nmstate applies them, renewal at T1, the lease kept while the server is gone and dropped at
 * expiry (a 30 s lease from busybox's udhcpd, {@link ShortLeaseServer}: dnsmasq's shortest is 2
 * minutes), no lease → rollback, release, agent restart, and the lease moving from a NIC to a new
 * bridge on it.
 */
@Timeout(300)
class DhcpKernelTest {
  private static final String ETH1_DHCP =
      """
      interfaces:
      - name: eth1
        type: ethernet
        state: up
        ipv4:
          enabled: true
          dhcp: true
      """;

  @TempDir Path tmp;
  private DhcpLab lab;
  private ShortLeaseServer udhcpd;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/dnsmasq")), "dnsmasq is not installed");
    lab = new DhcpLab(tmp);
  }

  @AfterEach
  void tearDown() {
    if (udhcpd != null) {
      udhcpd.close();
    }
    if (lab != null) {
      lab.close();
    }
  }

  /**
   * The lab's dnsmasq settings without its ping check: nothing else on srv0 holds an address, and
   * the check delays each first offer by ~3 s (DhcpBenchmarkKernelTest measures both).
   */
  private io.multihome.lab.LabDhcpServer.Settings settings(Duration lease) {
    return DhcpLab.settings(lab.server.name(), lease).withOptions("--no-ping");
  }

  private static io.multihome.state.DesiredState state(String yaml) {
    ParseResult r;
    try {
      r = StateParser.parse(yaml);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThat(r.problems()).isEmpty();
    return r.state();
  }

  private List<JsonNode> addresses(String dev, int family) {
    var out = new ArrayList<JsonNode>();
    for (var l : lab.node.ipJson(family == 6 ? "-6" : "-4", "addr", "show", "dev", dev)) {
      for (var a : l.path("addr_info")) {
        if (!"link".equals(a.path("scope").asText())) {
          out.add(a);
        }
      }
    }
    return out;
  }

  @Test
  void leaseGivesAddressRoutesAndDnsAsNmstateDoes() throws Exception {
    lab.serve(
        settings(Duration.ofMinutes(10))
            .withOptions(
                "3," + DhcpLab.SERVER,
                "6,198.18.70.53",
                "option:domain-search,lab.example",
                "121,198.18.71.0/24,198.18.70.1,0.0.0.0/0," + DhcpLab.SERVER));
    var engine = lab.agent();
    var dnsBefore = engine.show(n -> false).dns();
    long t0 = System.nanoTime();
    var result = engine.apply(state(ETH1_DHCP), ApplyOptions.defaults());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(result.plan().describe())
        .containsExactly("dhcp start eth1: dhcp4 auto-dns auto-gateway auto-routes");
    var addrs = addresses("eth1", 4);
    assertThat(addrs).hasSize(1);
    var a = addrs.get(0);
    assertThat(a.path("local").asText()).startsWith("198.18.70.");
    assertThat(a.path("prefixlen").asInt()).isEqualTo(24);
    assertThat(a.path("dynamic").asBoolean()).isTrue();
    assertThat(a.path("valid_life_time").asLong()).isBetween(500L, 600L);
    // Option 121 wins over 3 (RFC 3442): its default route and its 198.18.71.0/24.
    var routes = lab.node.ipJson("-4", "route", "show", "proto", "dhcp");
    assertThat(routes.toString())
        .contains("\"dst\":\"default\",\"gateway\":\"198.18.70.254\"")
        .contains("\"dst\":\"198.18.71.0/24\",\"gateway\":\"198.18.70.1\"")
        .contains("\"metric\":100");
    var resolv = Files.readString(Path.of("/etc/netns", lab.node.name(), "resolv.conf"));
    assertThat(resolv).contains("nameserver 198.18.70.53").contains("search lab.example");
    var shown = StateWriter.toYaml(engine.show("eth1"::equals));
    assertThat(shown)
        .contains("dhcp: true")
        .contains("auto-dns: true")
        .contains("auto-gateway: true")
        .contains("auto-routes: true")
        .contains("valid-life-time: ")
        .contains("ip: " + a.path("local").asText());
    // The engine reads back only static DNS: what DHCP added is not dns-resolver.config.
    assertThat(engine.show(n -> false).dns()).isEqualTo(dnsBefore);
    assertThat(resolv).contains("# multihome dhcp: nameserver 198.18.70.53; search lab.example");
    assertThat(lab.dnsmasq.leases()).extracting(l -> l.ip()).contains(a.path("local").asText());
    System.out.println("apply with DHCP took " + ms + " ms; DHCP exchange " + lab.dhcp.status());
  }

  private String addressOf(String dev) {
    var a = addresses(dev, 4);
    return a.isEmpty() ? null : a.get(0).path("local").asText();
  }

  private long count(String text, String what) {
    return text.lines().filter(l -> l.contains(what)).count();
  }

  @Test
  void renewsAtT1KeepsTheLeaseWhileTheServerIsGoneAndDropsItAtExpiry() throws Exception {
    // The client renews every 5 s and rebinds after 10 s (T1/T2 sent as options 58 and 59). The
    // lease: 30 s from busybox's udhcpd; where busybox is missing, dnsmasq's shortest, 2 minutes.
    int leaseSeconds;
    String ackLine;
    AutoCloseable server;
    java.util.function.Supplier<String> log;
    if (ShortLeaseServer.missing() == null) {
      udhcpd = ShortLeaseServer.start(lab, tmp.resolve("udhcpd"), 30, 5, 10);
      leaseSeconds = 30;
      ackLine = "sending ACK to ";
      server = udhcpd;
      log = udhcpd::outputText;
    } else {
      System.out.println(
          "busybox udhcpd missing (" + ShortLeaseServer.missing() + "): a 2-minute dnsmasq lease");
      lab.serve(
          settings(Duration.ofMinutes(2))
              .withOptions("3," + DhcpLab.SERVER, "option:T1,5", "option:T2,10"));
      leaseSeconds = 120;
      ackLine = "DHCPACK(srv0) ";
      server = lab.dnsmasq;
      log = lab.dnsmasq::outputText;
    }
    var engine = lab.agent();
    assertThat(engine.apply(state(ETH1_DHCP), ApplyOptions.defaults()))
        .isInstanceOf(ApplyResult.Applied.class);
    var lease = lab.dhcp.status().get("eth1").lease4();
    assertThat(lease.leaseSeconds()).isEqualTo(leaseSeconds);
    assertThat(lease.t1Seconds()).isEqualTo(5);
    assertThat(lease.t2Seconds()).isEqualTo(10);
    var ip = lease.address();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(count(log.get(), ackLine + ip)).isGreaterThanOrEqualTo(3));
    // Each renewal refreshed the address's lifetime in the kernel: 10 s or more after the first
    // ACK, only a renewal within the last 5 s leaves more than the lease less 8 s.
    assertThat(addresses("eth1", 4).get(0).path("valid_life_time").asLong())
        .isGreaterThan(leaseSeconds - 8);
    long lastAck = lab.dhcp.status().get("eth1").lease4().acquiredAt();

    server.close();
    // RENEWING, then REBINDING (past T2), all unanswered: the address stays until expiry.
    await()
        .during(Duration.ofSeconds(15))
        .atMost(Duration.ofSeconds(20))
        .until(() -> ip.equals(addressOf("eth1")));
    assertThat(lab.dhcp.status().get("eth1").state4()).contains("rebinding");
    await()
        .atMost(Duration.ofSeconds(leaseSeconds + 30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> addressOf("eth1") == null);
    long gone = System.currentTimeMillis();
    assertThat(gone).isGreaterThanOrEqualTo(lastAck + leaseSeconds * 1000L - 2000);
    // Expired: the client is back to INIT, looking for a server. The kernel drops the address at
    // its valid lifetime on its own timer, which may fire a moment before the client's.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(lab.node.ipJson("-4", "route", "show", "proto", "dhcp")).isEmpty();
              assertThat(lab.dhcp.status().get("eth1").lease4()).isNull();
              assertThat(lab.dhcp.status().get("eth1").state4()).startsWith("DHCPDISCOVER sent");
              assertThat(
                      lab.stateDir
                          .resolve("dhcp")
                          .resolve(lab.node.name())
                          .resolve("eth1.lease4.json"))
                  .doesNotExist();
            });
  }

  @Test
  void noLeaseWithinTheApplyTimeoutRollsBack() throws Exception {
    // No server on the segment at all.
    var before = lab.node.ipJson("addr", "show").toString();
    var routesBefore = lab.node.ipJson("route", "show", "table", "all").toString();
    var engine = lab.agent();
    var options =
        new ApplyOptions(
            true,
            true,
            Duration.ofSeconds(4),
            List.of(),
            io.multihome.agent.engine.EngineHooks.NONE);
    var result = engine.apply(state(ETH1_DHCP), options);
    assertThat(result).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(((ApplyResult.RolledBack) result).reason())
        .startsWith("verification failed: interfaces[eth1].ipv4.dhcp: no DHCPv4 lease yet")
        .contains("DHCPDISCOVER sent");
    assertThat(lab.dhcp.settings()).isEmpty();
    assertThat(lab.node.ipJson("addr", "show").toString()).isEqualTo(before);
    assertThat(lab.node.ipJson("route", "show", "table", "all").toString()).isEqualTo(routesBefore);
    try (var files = Files.list(lab.stateDir)) {
      assertThat(files.filter(f -> f.getFileName().toString().startsWith("checkpoint"))).isEmpty();
    }
  }

  /** dnsmasq leasing for 10 minutes, with itself as the router (option 3). */
  private void serveTenMinuteLeases() throws Exception {
    lab.serve(settings(Duration.ofMinutes(10)).withOptions("3," + DhcpLab.SERVER));
  }

  /** A running agent whose engine applied {@code dhcp: true} on eth1 (asserted Applied). */
  private Engine agentWithLeaseOnEth1() throws Exception {
    serveTenMinuteLeases();
    var engine = lab.agent();
    assertThat(engine.apply(state(ETH1_DHCP), ApplyOptions.defaults()))
        .isInstanceOf(ApplyResult.Applied.class);
    return engine;
  }

  @Test
  void dhcpFalseReleasesTheLease() throws Exception {
    var engine = agentWithLeaseOnEth1();
    var ip = addressOf("eth1");
    assertThat(ip).isNotNull();
    var off =
        engine.apply(
            state(ETH1_DHCP.replace("dhcp: true", "dhcp: false")), ApplyOptions.defaults());
    assertThat(off).isInstanceOf(ApplyResult.Applied.class);
    assertThat(off.plan().describe())
        .containsExactly("dhcp stop eth1 (lease released once the apply is committed)");
    assertThat(addressOf("eth1")).isNull();
    assertThat(lab.node.ipJson("-4", "route", "show", "proto", "dhcp")).isEmpty();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(lab.dnsmasq.outputText()).contains("DHCPRELEASE(srv0) " + ip));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(lab.dnsmasq.leases()).isEmpty());
    assertThat(lab.dhcp.settings()).isEmpty();
    assertThat(StateWriter.toYaml(engine.show("eth1"::equals))).doesNotContain("dhcp: true");
  }

  @Test
  void anAgentRestartKeepsTheLeaseAndRequestsItAgain() throws Exception {
    var engine = agentWithLeaseOnEth1();
    var ip = addressOf("eth1");
    lab.stopAgent();
    // The agent is gone; the node keeps its address (the kernel drops it only at expiry).
    assertThat(addressOf("eth1")).isEqualTo(ip);
    long discovers = count(lab.dnsmasq.outputText(), "DHCPDISCOVER(srv0)");

    lab.agent();
    assertThat(lab.dhcp.settings()).containsKey("eth1");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(count(lab.dnsmasq.outputText(), "DHCPACK(srv0) " + ip)).isEqualTo(2));
    // INIT-REBOOT: a REQUEST for the saved address, no new DISCOVER.
    assertThat(count(lab.dnsmasq.outputText(), "DHCPDISCOVER(srv0)")).isEqualTo(discovers);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(lab.dhcp.status())
                    .hasEntrySatisfying(
                        "eth1", d -> assertThat(d.state4()).startsWith("bound " + ip)));
    assertThat(addressOf("eth1")).isEqualTo(ip);
    assertThat(StateWriter.toYaml(lab.engine.show("eth1"::equals))).contains("dhcp: true");
  }

  /**
   * kubernetes-nmstate's most common policy: docs/examples/linux-bridge.yaml (a bridge br1 on the
   * NIC eth1, taking the address by DHCP) applied to a node whose eth1 has a DHCP lease.
   */
  @Test
  void movesTheLeaseFromTheNicToANewBridgeOnIt() throws Exception {
    var engine = agentWithLeaseOnEth1();
    var ip = addressOf("eth1");

    var nncp =
        new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
            .readTree(repoRoot().resolve("docs/examples/linux-bridge.yaml").toFile());
    var desired = StateParser.parse(nncp.path("spec").path("desiredState"));
    assertThat(desired.problems()).isEmpty();
    var result = engine.apply(desired.state(), ApplyOptions.defaults());
    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(result.plan().describe())
        .contains(
            "dhcp stop eth1 (lease released once the apply is committed)",
            "dhcp start br1: dhcp4 auto-dns auto-gateway auto-routes");
    // Same MAC, same client id: the server gives the bridge the NIC's address.
    assertThat(addressOf("br1")).isEqualTo(ip);
    assertThat(addressOf("eth1")).isNull();
    assertThat(lab.node.ipJson("-4", "route", "show", "proto", "dhcp").toString())
        .contains("\"dev\":\"br1\"")
        .doesNotContain("\"dev\":\"eth1\"");
    // The lease moved, so the NIC's old client must not release it from under the bridge.
    Thread.sleep(500);
    assertThat(lab.dnsmasq.outputText()).doesNotContain("DHCPRELEASE");
    assertThat(lab.dnsmasq.leases()).extracting(l -> l.ip()).containsExactly(ip);
    assertThat(lab.dhcp.settings()).containsOnlyKeys("br1");
  }

  @Test
  void dhcpv6LeaseAndAutoconfThroughTheKernel() throws Exception {
    lab.serve(
        settings(Duration.ofMinutes(10))
            .withOptions("--ra-param=srv0,3", "option6:dns-server,[2001:db8:70::53]")
            .withIpv6(DhcpLab.SERVER6 + "/64", "2001:db8:70::100,2001:db8:70::1ff,slaac,64,10m"));
    var engine = lab.agent();
    var yaml =
        """
        interfaces:
        - name: eth1
          type: ethernet
          state: up
          ipv6:
            enabled: true
            dhcp: true
            autoconf: true
        """;
    var result = engine.apply(state(yaml), ApplyOptions.defaults());
    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(result.plan().describe())
        .containsExactly("dhcp start eth1: dhcp6+autoconf auto-dns auto-gateway auto-routes");
    var leased = lab.dhcp.status().get("eth1").lease6();
    assertThat(leased.address()).startsWith("2001:db8:70::1");
    assertThat(addresses("eth1", 6).toString())
        .contains("\"local\":\"" + leased.address() + "\",\"prefixlen\":128");
    // Router advertisements: a SLAAC address in the prefix and the default route (proto ra).
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              var slaac =
                  addresses("eth1", 6).stream()
                      .filter(a -> a.path("prefixlen").asInt() == 64)
                      .toList();
              assertThat(slaac).isNotEmpty();
              assertThat(slaac.get(0).path("local").asText()).startsWith("2001:db8:70:");
              assertThat(lab.node.ipJson("-6", "route", "show", "default").toString())
                  .contains("\"protocol\":\"ra\"");
            });
    assertThat(
            lab.node
                .sh("sysctl -n net.ipv6.conf.eth1.accept_ra net.ipv6.conf.eth1.autoconf")
                .orFail()
                .stdout())
        .isEqualTo("2\n1\n");
    var resolv = Files.readString(Path.of("/etc/netns", lab.node.name(), "resolv.conf"));
    assertThat(resolv).contains("nameserver 2001:db8:70::53");
    assertThat(StateWriter.toYaml(engine.show("eth1"::equals)))
        .contains("autoconf: true")
        .contains("ip: " + leased.address());
    // Off again: the lease goes, router advertisements are no longer followed.
    var off =
        engine.apply(
            state(
                yaml.replace("dhcp: true", "dhcp: false")
                    .replace("autoconf: true", "autoconf: false")),
            ApplyOptions.defaults());
    assertThat(off).isInstanceOf(ApplyResult.Applied.class);
    assertThat(addresses("eth1", 6).toString()).doesNotContain(leased.address());
    assertThat(Files.readString(Path.of("/etc/netns", lab.node.name(), "resolv.conf")))
        .doesNotContain("2001:db8:70::53");
    assertThat(lab.node.sh("sysctl -n net.ipv6.conf.eth1.accept_ra").orFail().stdout())
        .isEqualTo("0\n");
  }

  private record Cli(int code, String out) {}

  private Cli cli(String... args) {
    var out = new java.io.StringWriter();
    var pw = new java.io.PrintWriter(out);
    int code = io.multihome.agent.cli.Main.run(pw, pw, args);
    pw.flush();
    return new Cli(code, out.toString());
  }

  /**
   * {@code multihome apply} on a node: without an agent it refuses DHCP naming the socket it looked
   * for; with one, the agent's client gets the lease and the command verifies it.
   */
  @Test
  void multihomeApplyHandsDhcpToTheRunningAgentOrSaysItNeedsOne() throws Exception {
    serveTenMinuteLeases();
    var file = tmp.resolve("eth1-dhcp.yaml");
    Files.writeString(file, ETH1_DHCP);
    var ns = lab.node.name();
    var state = lab.stateDir.toString();
    var socket = lab.stateDir.resolve("dhcp").resolve(ns + ".sock");

    var refused = cli("apply", "--netns", ns, "--state-dir", state, file.toString());
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.out())
        .contains(
            "interfaces[0].ipv4.dhcp: DHCP needs the multihome agent, which runs the DHCP"
                + " clients, and no agent answers on "
                + socket);
    assertThat(addressOf("eth1")).isNull();

    try (var agent = new io.multihome.agent.cluster.EngineNodeNetwork(ns, lab.stateDir)) {
      var applied = cli("apply", "--netns", ns, "--state-dir", state, file.toString());
      assertThat(applied.code()).as(applied.out()).isZero();
      assertThat(applied.out())
          .contains("dhcp start eth1: dhcp4 auto-dns auto-gateway auto-routes")
          .contains("applied and verified");
      var ip = agent.dhcp().status().get("eth1").lease4().address();
      assertThat(addressOf("eth1")).isEqualTo(ip);
      assertThat(cli("show", "--netns", ns, "--state-dir", state, "eth1").out())
          .contains("dhcp: true", "auto-gateway: true", "ip: " + ip, "valid-life-time:");
      // The command is gone; the agent keeps the client (and renews the lease).
      assertThat(agent.dhcp().settings()).containsKey("eth1");
    }
  }

  private static Path repoRoot() {
    var p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("docs/examples"))) {
      p = p.getParent();
    }
    return p;
  }
}
