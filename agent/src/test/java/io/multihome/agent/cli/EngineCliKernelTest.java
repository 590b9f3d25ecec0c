package io.multihome.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.multihome.agent.netlink.NamedNetns;
import io.multihome.testkit.LinksReady;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** show / apply / commit / rollback end to end in a throwaway namespace, exit codes included. */
@Timeout(300)
class EngineCliKernelTest {
  private static final String BRIDGE =
      """
      interfaces:
      - name: br7
        type: linux-bridge
        mtu: 1400
        bridge: {options: {stp: {enabled: false}}, port: [{name: eth1}]}
        ipv4: {enabled: true, address: [{ip: 198.18.70.1, prefix-length: 24}]}
      routes:
        config:
        - {destination: 198.19.70.0/24, next-hop-address: 198.18.70.254, next-hop-interface: br7}
      """;

  @TempDir Path dir;
  private String ns;
  private Path state;

  @BeforeEach
  void setUp() {
    ns = "mh-en-" + UUID.randomUUID().toString().substring(0, 8);
    state = dir.resolve("state");
    NamedNetns.create(ns);
    // No duplicate address detection: IPv6 addresses are final at once, not "tentative" for 1 s.
    ip("netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0");
    ip("link", "add", "eth1", "type", "veth", "peer", "name", "eth1-p");
    ip("link", "set", "eth1", "up");
    ip("link", "set", "eth1-p", "up");
    ip("link", "set", "lo", "up");
    // Tests compare the namespace with their first snapshot: the kernel must be done with it.
    LinksReady.awaitUp(ns, "eth1", "eth1-p");
  }

  @AfterEach
  void tearDown() throws IOException {
    CliNetns.delete(ns);
  }

  private String ip(String... args) {
    return CliNetns.ipFor(ns, args);
  }

  private String links() {
    return ip("-j", "-d", "link", "show") + ip("-j", "addr", "show") + ip("-j", "route", "show");
  }

  record Run(int code, String out, String err) {}

  private Run cli(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var all = new ArrayList<>(List.of(args));
    all.add(1, "--netns");
    all.add(2, ns);
    all.add(3, "--state-dir");
    all.add(4, state.toString());
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  private Path file(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void showOutputIsAcceptedBackByValidateAndApplyUnchanged() throws Exception {
    assertThat(cli("apply", file("br.yaml", BRIDGE).toString()).code()).isZero();
    var shown = cli("show");
    assertThat(shown.code()).isZero();
    assertThat(shown.out()).contains("name: br7", "type: linux-bridge", "198.18.70.1");
    var saved = file("shown.yaml", shown.out());
    var out = new StringWriter();
    assertThat(Main.run(new PrintWriter(out), new PrintWriter(out), "validate", saved.toString()))
        .as(out.toString())
        .isZero();
    var again = cli("apply", saved.toString());
    assertThat(again.code()).as(again.out()).isZero();
    assertThat(again.out()).contains("plan with 0 operations", "nothing to change");
    var json = cli("show", "--json", "br7");
    assertThat(json.out()).contains("\"name\" : \"br7\"").doesNotContain("eth1-p");
  }

  @Test
  void exitCodesDryRunAndInvalidInput() throws Exception {
    var before = links();
    var dry = cli("apply", "--dry-run", file("br.yaml", BRIDGE).toString());
    assertThat(dry.code()).isZero();
    assertThat(dry.out())
        .contains("ip link add br7 type bridge stp_state 0", "ip link set eth1 master br7");
    assertThat(links()).isEqualTo(before);

    var invalid =
        cli(
            "apply",
            file("bad.yaml", "interfaces: [{name: br7, type: linux-bridge, mtu: 9}]").toString());
    assertThat(invalid.code()).isEqualTo(2);
    assertThat(invalid.out()).contains("interfaces[0].mtu");

    var nncp =
        file(
            "capture.yaml",
            Files.readString(
                Path.of("..", "docs", "examples", "capture-bridge-on-default-nic.yaml")));
    // Captures run against this namespace, which has no default route for them to find.
    var captured = cli("apply", nncp.toString());
    assertThat(captured.code()).isEqualTo(2);
    assertThat(captured.out()).contains(nncp + ": spec.capture.base-iface");

    var unreachable =
        BRIDGE.replace("next-hop-address: 198.18.70.254", "next-hop-address: 203.0.113.9");
    var failed = cli("apply", file("fail.yaml", unreachable).toString());
    assertThat(failed.code()).isEqualTo(1);
    assertThat(failed.out()).contains("failed and rolled back", "route append");
    assertThat(links()).isEqualTo(before);
    assertThat(links()).doesNotContain("br7");
  }

  @Test
  void dryRunShowsTheResolverFileWriteAndWritesNothing() throws Exception {
    var example = Path.of("..", "docs", "examples", "static-dns.yaml").toString();
    var dry = cli("apply", "--dry-run", example);
    assertThat(dry.code()).as(dry.out()).isZero();
    var resolv = Path.of("/etc/netns", ns, "resolv.conf");
    assertThat(dry.out())
        .contains(
            "write "
                + resolv
                + ": nameserver 198.18.0.53 2001:db8::53; search example.com example.org;"
                + " options rotate timeout:2",
            "dry run");
    assertThat(resolv.getParent()).doesNotExist();

    var applied = cli("apply", example);
    assertThat(applied.code()).as(applied.out()).isZero();
    assertThat(Files.readString(resolv)).contains("nameserver 2001:db8::53");
    assertThat(cli("show").out()).contains("- example.org", "- timeout:2");
  }

  @Test
  void noCommitThenCommitOrRollback() throws Exception {
    var before = links();
    var f = file("br.yaml", BRIDGE).toString();
    var applied = cli("apply", "--no-commit", "--timeout", "60", f);
    assertThat(applied.code()).isZero();
    assertThat(applied.out()).contains("checkpoint pending");
    var second = cli("apply", f);
    assertThat(second.code()).as("second apply while pending").isEqualTo(2);
    assertThat(second.err()).contains("a checkpoint is pending");
    assertThat(cli("rollback").code()).isZero();
    await().atMost(Duration.ofSeconds(60)).until(() -> links().equals(before));
    assertThat(cli("apply", "--no-commit", f).code()).isZero();
    assertThat(cli("commit").code()).isZero();
    assertThat(cli("rollback").code()).as("nothing pending").isEqualTo(1);
    assertThat(links()).contains("br7");
  }

  /**
   * The dead-man switch: an {@code apply --no-commit --timeout 2} in its own JVM is killed with
   * SIGKILL; after the deadline any multihome command restores the old state first.
   */
  @Test
  void killedApplyIsRolledBackByTheNextCommandAfterTheDeadline() throws Exception {
    var before = links();
    var f = file("br.yaml", BRIDGE).toString();
    var cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "apply",
            "--netns",
            ns,
            "--state-dir",
            state.toString(),
            "--no-commit",
            "--timeout",
            "2",
            f);
    var process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile())
            .start();
    var checkpoint = state.resolve("checkpoint-" + ns + ".json");
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(checkpoint));
    // Wait until the child changed the namespace (or finished), then kill it hard.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> links().contains("br7") || !process.isAlive());
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    assertThat(links()).contains("br7");
    assertThat(checkpoint).exists();
    long deadline = System.currentTimeMillis() + 2500;
    await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() > deadline);
    var shown = cli("show");
    assertThat(shown.err()).contains("rolled back the expired checkpoint of " + ns);
    assertThat(shown.out()).doesNotContain("br7");
    assertThat(checkpoint).doesNotExist();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(links()).isEqualTo(before));
  }

  /** Issue 15, item 10: the engine's refusals of an NNCP name the path as validate does. */
  @Test
  void engineRefusalsOfAnNncpCarryTheDesiredStatePrefix() throws Exception {
    var nncp =
        file(
            "policy.yaml",
            """
            apiVersion: nmstate.io/v1
            kind: NodeNetworkConfigurationPolicy
            metadata: {name: p1}
            spec:
              desiredState:
                routes:
                  config:
                  - {destination: 198.19.1.0/24, next-hop-interface: eth1, weight: 5}
            """);

    var r = cli("apply", nncp.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).contains(nncp + ": spec.desiredState.routes.config[0].weight:");
  }

  /** Issue 15, item 10: a namespace that does not exist is one line, not a stack trace. */
  @Test
  void aMissingNamespaceIsOneLine() throws Exception {
    var out = new StringWriter();
    var err = new StringWriter();
    var f = file("s.yaml", "interfaces: [{name: eth1, mtu: 1400}]");

    int code =
        Main.run(
            new PrintWriter(out),
            new PrintWriter(err),
            "apply",
            "--netns",
            ns + "-missing",
            "--state-dir",
            state.toString(),
            f.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("--netns " + ns + "-missing: no such network namespace")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  /**
   * Issue 15, item 10: the vxlan plan text names nolearning, and an IPv6 link-local address in a
   * desired state is left to the kernel (nmstate drops it with a warning), not planned as static.
   */
  @Test
  void dryRunNamesNolearningAndLeavesLinkLocalAddressesOut() throws Exception {
    var f =
        file(
            "s.yaml",
            """
            interfaces:
            - name: vx1
              type: vxlan
              vxlan: {id: 7, remote: 198.18.9.2, base-iface: eth1, learning: false}
            - name: eth1
              ipv6:
                enabled: true
                address:
                - {ip: "fe80::1", prefix-length: 64}
                - {ip: "2001:db8:7::1", prefix-length: 64}
            """);

    var r = cli("apply", "--dry-run", f.toString());

    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("type vxlan id 7 remote 198.18.9.2 nolearning");
    assertThat(r.out()).contains("ip addr add 2001:db8:7::1/64 dev eth1");
    assertThat(r.out()).doesNotContain("fe80::1");
  }
}
