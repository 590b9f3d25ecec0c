package io.multihome.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.agent.dot1x.SupplicantService;
import io.multihome.agent.netlink.NamedNetns;
import io.multihome.state.Documents;
import io.multihome.state.StateParser;
import io.multihome.state.StateWriter;
import io.multihome.testkit.Commands;
import io.multihome.testkit.KernelTier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MACsec Key Agreement through the engine: nmstate's {@code examples/macsec0_up.yml} (kept in
 * src/test/resources/upstream) applied on eth1 of an {@link EngineNetns} whose peer end eth1-p is
 * moved into a namespace of its own, where a second wpa_supplicant ({@code -D macsec_linux}, the
 * same CAK/CKN) is the other party. The engine creates macsec0 and the agent's {@link
 * SupplicantService} runs key agreement on eth1, adopting it; verification waits until the
 * supplicant reports the link secured, traffic then crosses it encrypted. A wrong CKN is never
 * secured: rollback names the path and stops the supplicant. The development kernel has no macsec
 * module: this runs in the kernel-VM tier.
 */
@Tag("kernel-vm")
@Timeout(180)
class MkaKernelTest {
  private static final String CAK = "50b71a8ef0bd5751ea76de6d6c98c03a";
  private static final String CKN =
      "f2b4297d39da7330910a74abc0449feb45b5c0b9fc23df1430e1898fcf1c4550";

  private static void require(EngineNetns ns) {
    KernelTier.require(
        SupplicantService.installed(),
        "wpa_supplicant and wpa_cli (Debian package wpasupplicant) are not installed");
    String why = null;
    try {
      ns.ip("link", "add", "link", "eth2", "mhprobe0", "type", "macsec");
      ns.ip("link", "del", "mhprobe0");
    } catch (RuntimeException e) {
      why = e.getMessage();
    }
    KernelTier.require(why == null, "kernel lacks macsec links (module macsec) [" + why + "]");
  }

  /** The other party: wpa_supplicant with key agreement on eth1-p in a namespace of its own. */
  private static final class Peer implements AutoCloseable {
    final String netns = "mh-mk-" + UUID.randomUUID().toString().substring(0, 8);
    final Path dir;
    Process wpa;

    Peer(EngineNetns ns, String ckn) throws IOException {
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
                "  mka_cak=" + CAK,
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
        wpa.destroy();
        try {
          if (!wpa.waitFor(5, TimeUnit.SECONDS)) {
            wpa.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
          }
        } catch (InterruptedException e) {
          wpa.destroyForcibly();
          Thread.currentThread().interrupt();
        }
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
  }

  private static io.multihome.state.DesiredState parse(String yaml) {
    var parsed = StateParser.parse(Documents.read(yaml).documents().get(0));
    assertThat(parsed.problems()).isEmpty();
    return parsed.state();
  }

  @Test
  void nmstatesMacsecExampleIsSecuredByKeyAgreementAndCarriesTraffic() throws Exception {
    try (var ns = new EngineNetns()) {
      require(ns);
      try (var peer = new Peer(ns, CKN);
          var wpa = SupplicantService.start(ns.target(), ns.stateDir);
          var engine = ns.engine().withPortAuth(wpa)) {
        var desired = parse(Upstream.text("nmstate-examples/macsec0_up.yml"));
        assertThat(engine.plan(desired).describe().toString())
            .contains("mka start macsec0: wpa_supplicant -D macsec_linux on eth1")
            .doesNotContain(CAK);
        var result =
            engine.apply(
                desired,
                new ApplyOptions(true, true, Duration.ofSeconds(60), List.of(), EngineHooks.NONE));
        assertThat(result)
            .as(
                () ->
                    Files.exists(peer.dir.resolve("log"))
                        ? readQuietly(peer.dir.resolve("log"))
                        : "")
            .isInstanceOf(ApplyResult.Applied.class);
        assertThat(engine.differences(desired)).isEmpty();
        var yaml = StateWriter.toYaml(engine.show("macsec0"::equals));
        assertThat(yaml)
            .contains("mka-cak: <_password_hid_by_nmstate>", "mka-ckn: " + CKN)
            .doesNotContain(CAK);
        assertThat(engine.plan(parse(yaml)).isEmpty()).as(yaml).isTrue();

        // Keys agreed: traffic crosses the MACsec link to the peer's.
        ns.ip("addr", "add", "198.18.91.1/24", "dev", "macsec0");
        var peerLink =
            peer.ip("-o", "link", "show", "type", "macsec").split(":")[1].strip().split("@")[0];
        peer.ip("addr", "add", "198.18.91.2/24", "dev", peerLink);
        peer.ip("link", "set", peerLink, "up");
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () ->
                    assertThat(ns.sh("ping", "-c", "1", "-W", "1", "198.18.91.2"))
                        .contains(" 0% packet loss"));

        var pid = wpa.process("macsec0");
        var gone = parse("interfaces: [{name: macsec0, type: macsec, state: absent}]");
        assertThat(engine.apply(gone, OptionsHolder.SHORT)).isInstanceOf(ApplyResult.Applied.class);
        assertThat(pid.isAlive()).isFalse();
        assertThat(wpa.mka()).isEmpty();
      }
    }
  }

  @Test
  void aPeerWithAnotherKeyNeverSecuresTheLinkAndTheApplyRollsBack() throws Exception {
    try (var ns = new EngineNetns()) {
      require(ns);
      try (var peer = new Peer(ns, "aa" + CKN.substring(2));
          var wpa = SupplicantService.start(ns.target(), ns.stateDir);
          var engine = ns.engine().withPortAuth(wpa)) {
        var result =
            engine.apply(
                parse(Upstream.text("nmstate-examples/macsec0_up.yml")), OptionsHolder.SHORT);
        assertThat(result).isInstanceOf(ApplyResult.RolledBack.class);
        assertThat(((ApplyResult.RolledBack) result).reason())
            .startsWith("verification failed: interfaces[0].macsec: MACsec key agreement on eth1")
            .contains("has not secured macsec0")
            .doesNotContain(CAK);
        assertThat(wpa.mka()).isEmpty();
        assertThat(wpa.process("macsec0")).isNull();
        assertThat(ns.ip("-o", "link", "show")).doesNotContain("macsec0");
      }
    }
  }

  private static final class OptionsHolder {
    static final ApplyOptions SHORT =
        new ApplyOptions(true, true, Duration.ofSeconds(15), List.of(), EngineHooks.NONE);
  }

  private static String readQuietly(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "";
    }
  }
}
