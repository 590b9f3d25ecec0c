package io.multihome.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.agent.dot1x.SupplicantService;
import io.multihome.state.Documents;
import io.multihome.state.StateParser;
import io.multihome.state.StateWriter;
import io.multihome.testkit.KernelTier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    var missing = MkaPeer.missing(ns);
    KernelTier.require(missing == null, missing);
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
      try (var peer = new MkaPeer(ns, CAK, CKN);
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
                    Files.exists(peer.dir().resolve("log"))
                        ? readQuietly(peer.dir().resolve("log"))
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
      try (var peer = new MkaPeer(ns, CAK, "aa" + CKN.substring(2));
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
