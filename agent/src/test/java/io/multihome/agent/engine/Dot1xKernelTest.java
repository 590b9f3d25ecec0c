package io.multihome.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multihome.agent.dot1x.SupplicantService;
import io.multihome.state.Documents;
import io.multihome.state.StateParser;
import io.multihome.state.StateWriter;
import io.multihome.testkit.KernelTier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * IEEE 802.1X through the engine against a real authenticator: two namespaces joined by a veth,
 * {@code hostapd -D wired} with its internal EAP server on one end ({@link Dot1xAuthenticator}),
 * the engine with the agent's {@link SupplicantService} on the other, applying nmstate's own
 * examples {@code examples/eth1_with_ieee_802_1x.yml} (EAP-TLS) and {@code
 * eth1_with_ieee_802_1x_peap.yml} (PEAP/MSCHAPv2), kept in src/test/resources/upstream with the
 * certificate directory moved ({@link Upstream}).
 */
@Tag("kernel-vm")
@Timeout(180)
class Dot1xKernelTest {
  private static final ApplyOptions OPTIONS =
      new ApplyOptions(true, true, Duration.ofSeconds(20), List.of(), EngineHooks.NONE);

  @BeforeEach
  void tools() {
    KernelTier.require(
        SupplicantService.installed(),
        "wpa_supplicant and wpa_cli (Debian package wpasupplicant) are not installed");
    KernelTier.require(
        Files.isExecutable(Path.of(Dot1xAuthenticator.HOSTAPD)),
        "hostapd (Debian package hostapd) is not installed");
  }

  private static io.multihome.state.DesiredState upstream(String file) {
    return parse(Upstream.text("nmstate-examples/" + file));
  }

  private static io.multihome.state.DesiredState parse(String yaml) {
    var parsed = StateParser.parse(Documents.read(yaml).documents().get(0));
    assertThat(parsed.problems()).isEmpty();
    return parsed.state();
  }

  @Test
  void tlsExampleAuthenticatesIsShownMaskedAndStopsWhenTheInterfaceGoes() throws Exception {
    try (var ns = new EngineNetns();
        var auth = Dot1xAuthenticator.start(ns);
        var wpa = SupplicantService.start(ns.target(), ns.stateDir);
        var engine = ns.engine().withPortAuth(wpa)) {
      var desired = upstream("eth1_with_ieee_802_1x.yml");
      var plan = engine.plan(desired);
      assertThat(plan.describe().toString())
          .contains("802.1x start eth1: eap tls identity client.example.org")
          .doesNotContain("password ");
      var result = engine.apply(desired, OPTIONS);
      assertThat(result).as(auth.log()).isInstanceOf(ApplyResult.Applied.class);
      assertThat(wpa.authorized()).containsEntry("eth1", true);
      assertThat(engine.differences(desired)).isEmpty();
      assertThat(engine.plan(desired).isEmpty()).isTrue();

      // show prints the section as nmstate does, the secret masked; given back it changes nothing.
      var shown = engine.show("eth1"::equals);
      var yaml = StateWriter.toYaml(shown);
      assertThat(yaml)
          .contains("802.1x:", "identity: client.example.org", "- tls")
          .contains("private-key-password: <_password_hid_by_nmstate>")
          .doesNotContain("private-key-password: password");
      var again = parse(yaml);
      assertThat(engine.plan(again).isEmpty()).as(yaml).isTrue();
      // The configuration file holds the secret, readable by its owner only.
      var conf = ns.stateDir.resolve("8021x").resolve(ns.name).resolve("eth1.conf");
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(conf)))
          .isEqualTo("rw-------");

      var pid = wpa.process("eth1");
      assertThat(pid.isAlive()).isTrue();
      var gone = parse("interfaces: [{name: eth1, type: veth, state: absent}]");
      assertThat(engine.plan(gone).describe().toString()).contains("802.1x stop eth1");
      assertThat(engine.apply(gone, OPTIONS)).isInstanceOf(ApplyResult.Applied.class);
      assertThat(pid.isAlive()).isFalse();
      assertThat(wpa.settings()).isEmpty();
    }
  }

  @Test
  void peapExampleAuthenticates() throws Exception {
    try (var ns = new EngineNetns();
        var auth = Dot1xAuthenticator.start(ns);
        var wpa = SupplicantService.start(ns.target(), ns.stateDir);
        var engine = ns.engine().withPortAuth(wpa)) {
      var desired = upstream("eth1_with_ieee_802_1x_peap.yml");
      var result = engine.apply(desired, OPTIONS);
      assertThat(result).as(auth.log()).isInstanceOf(ApplyResult.Applied.class);
      assertThat(wpa.authorized()).containsEntry("eth1", true);
      assertThat(StateWriter.toYaml(engine.show("eth1"::equals)))
          .contains("phase2-auth: mschapv2", "password: <_password_hid_by_nmstate>", "- peap");
    }
  }

  @Test
  void wrongPasswordIsNotAuthenticatedAndRollsBackNamingThePath() throws Exception {
    try (var ns = new EngineNetns();
        var auth = Dot1xAuthenticator.start(ns);
        var wpa = SupplicantService.start(ns.target(), ns.stateDir);
        var engine = ns.engine().withPortAuth(wpa)) {
      var text =
          Upstream.text("nmstate-examples/eth1_with_ieee_802_1x_peap.yml")
              .replace("password: password", "password: wrong-one");
      var desired = parse(text);
      long t0 = System.nanoTime();
      var result = engine.apply(desired, OPTIONS);
      assertThat(result).isInstanceOf(ApplyResult.RolledBack.class);
      var reason = ((ApplyResult.RolledBack) result).reason();
      assertThat(reason)
          .startsWith("verification failed: interfaces[0].802.1x: authentication failed on eth1")
          .doesNotContain("wrong-one");
      // The authenticator's refusal ends the wait: no need to sit out the apply's timeout.
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(19));
      assertThat(wpa.settings()).isEmpty();
      assertThat(wpa.process("eth1")).isNull();
      assertThat(
              ProcessHandle.allProcesses()
                  .filter(
                      p ->
                          p.info().commandLine().orElse("").contains("wpa_supplicant")
                              && p.info()
                                  .commandLine()
                                  .orElse("")
                                  .contains(ns.stateDir.toString())))
          .isEmpty();
    }
  }

  @Test
  void anEngineWithoutASupplicantRefusesNamingThePath() throws Exception {
    try (var ns = new EngineNetns();
        var engine = ns.engine()) {
      assertThatThrownBy(() -> engine.plan(upstream("eth1_with_ieee_802_1x_peap.yml")))
          .isInstanceOf(PlanException.class)
          .hasMessageStartingWith("interfaces[0].802.1x: 802.1x needs a supplicant");
    }
  }

  @Test
  void missingCertificateIsRefusedNamingItsPath() throws Exception {
    try (var ns = new EngineNetns();
        var wpa = SupplicantService.start(ns.target(), ns.stateDir);
        var engine = ns.engine().withPortAuth(wpa)) {
      var text =
          Upstream.text("nmstate-examples/eth1_with_ieee_802_1x.yml")
              .replace("ca.crt", "missing-ca.crt");
      assertThatThrownBy(() -> engine.plan(parse(text)))
          .isInstanceOf(PlanException.class)
          .hasMessageContaining("interfaces[0].802.1x.ca-cert: no such file");
      assertThat(wpa.settings()).isEmpty();
    }
  }

  @Test
  void theCliHandsThePortToTheRunningAgentThroughItsSocket() throws Exception {
    try (var ns = new EngineNetns();
        var auth = Dot1xAuthenticator.start(ns);
        var cli = ns.engine()) {
      // No agent yet: the CLI's engine refuses, saying where it looked.
      io.multihome.agent.dot1x.SupplicantControlClient.attach(cli, ns.stateDir);
      assertThatThrownBy(() -> cli.plan(upstream("eth1_with_ieee_802_1x_peap.yml")))
          .isInstanceOf(PlanException.class)
          .hasMessageContaining("interfaces[0].802.1x: 802.1x needs a supplicant that outlives")
          .hasMessageContaining("no agent answers on " + ns.stateDir.resolve("8021x"));
      try (var wpa = SupplicantService.start(ns.target(), ns.stateDir);
          var socket =
              io.multihome.agent.dot1x.SupplicantControlServer.start(
                  wpa, ns.target(), ns.stateDir)) {
        io.multihome.agent.dot1x.SupplicantControlClient.attach(cli, ns.stateDir);
        var result = cli.apply(upstream("eth1_with_ieee_802_1x_peap.yml"), OPTIONS);
        assertThat(result).as(auth.log()).isInstanceOf(ApplyResult.Applied.class);
        // The agent's service runs it, and keeps running it after the command.
        assertThat(wpa.authorized()).containsEntry("eth1", true);
        assertThat(StateWriter.toYaml(cli.show("eth1"::equals)))
            .contains("password: <_password_hid_by_nmstate>");
      }
    }
  }

  @Test
  void aPolicyThroughTheAgentAuthenticatesAndTheNodeStateHidesTheSecret() throws Exception {
    String stateDir;
    try (var ns = new EngineNetns();
        var auth = Dot1xAuthenticator.start(ns);
        var agent = new io.multihome.agent.cluster.EngineNodeNetwork(ns.name, ns.stateDir)) {
      var desired =
          (com.fasterxml.jackson.databind.node.ObjectNode)
              Documents.read(Upstream.text("nmstate-examples/eth1_with_ieee_802_1x_peap.yml"))
                  .documents()
                  .get(0);
      stateDir = ns.stateDir.toString();
      var outcome = agent.apply(desired, List.of());
      assertThat(outcome)
          .as(auth.log())
          .isInstanceOf(io.multihome.agent.cluster.ApplyOutcome.Applied.class);
      var nns = agent.currentState().toString();
      assertThat(nns)
          .contains("\"802.1x\"", "\"password\":\"<_password_hid_by_nmstate>\"")
          .doesNotContain("\"password\":\"password\"");
    }
    // The agent stopped its supplicant when it closed; none is left for this namespace.
    assertThat(
            ProcessHandle.allProcesses()
                .map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains("wpa_supplicant")))
        .noneMatch(c -> c.contains(stateDir));
  }
}
