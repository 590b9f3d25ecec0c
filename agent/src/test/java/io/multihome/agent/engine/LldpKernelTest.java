package io.multihome.agent.engine;

import static io.multihome.agent.engine.EngineAssertions.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.multihome.agent.lldp.LldpService;
import io.multihome.agent.lldp.LldpSocket;
import io.multihome.agent.netlink.NamedNetns;
import io.multihome.state.StateWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code lldp.enabled} with a real listener: the engine keeps the setting, the agent's {@link
 * LldpService} opens an AF_PACKET socket on eth1, and a neighbour in another namespace (eth1's peer
 * end, moved there) sends nmstate's own test frame; {@code show} must then report it exactly as
 * nmstate's integration test expects. Neighbours expire with their TTL, leave with TTL 0, and go
 * when LLDP is turned off.
 */
@Timeout(120)
class LldpKernelTest extends EngineNetnsTestBase {
  private static final Path DIR = Path.of("src/test/resources/upstream/nmstate-lldp");
  private String peerNs;
  private LldpService service;

  @BeforeEach
  void movePeerAway() {
    peerNs = "mh-lp-" + UUID.randomUUID().toString().substring(0, 8);
    NamedNetns.create(peerNs);
    ns.ip("link", "set", "eth1-p", "netns", peerNs);
    EngineNetns.run(List.of("ip", "-n", peerNs, "link", "set", "eth1-p", "up"));
    service = new LldpService(ns.target(), ns.stateDir).start();
  }

  @AfterEach
  void removePeer() {
    try {
      service.close();
    } finally {
      EngineNetns.run(List.of("ip", "netns", "del", peerNs));
    }
  }

  static byte[] upstreamFrame() throws Exception {
    var b =
        ByteBuffer.wrap(Files.readAllBytes(DIR.resolve("lldp.pcap")))
            .order(ByteOrder.LITTLE_ENDIAN);
    int len = b.getInt(24 + 8);
    return Arrays.copyOfRange(b.array(), 24 + 16, 24 + 16 + len);
  }

  private void sendFromPeer(byte[] frame) {
    try (var s = LldpSocket.open(peerNs, Integer.parseInt(peerIndex()), 500)) {
      s.send(frame);
    }
  }

  /** eth1-p's index in the peer namespace (ip netns exec mounts that namespace's sysfs). */
  private String peerIndex() {
    return EngineNetns.run(
            List.of("ip", "netns", "exec", peerNs, "cat", "/sys/class/net/eth1-p/ifindex"))
        .strip();
  }

  private com.fasterxml.jackson.databind.JsonNode neighbors() {
    return StateWriter.toTree(engine.show("eth1"::equals))
        .path("interfaces")
        .get(0)
        .path("lldp")
        .path("neighbors");
  }

  @Test
  void aNeighbourInAnotherNamespaceIsReportedAsNmstateReportsIt() throws Exception {
    var on = state("interfaces: [{name: eth1, lldp: {enabled: true}}]");
    assertThat(engine.apply(on, ApplyOptions.defaults())).isInstanceOf(ApplyResult.Applied.class);
    assertThat(StateWriter.toYaml(engine.show("eth1"::equals)))
        .contains("lldp:\n    enabled: true");
    service.sync();
    assertThat(service.listening()).containsExactly("eth1");

    sendFromPeer(upstreamFrame());

    var expected =
        new ObjectMapper(new YAMLFactory()).readTree(DIR.resolve("expected-neighbor.yml").toFile());
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(neighbors()).hasSize(1));
    assertThat(neighbors().get(0)).isEqualTo(expected);
    // The query-only neighbours apply back as nothing to do.
    assertThat(engine.plan(engine.show("eth1"::equals)).isEmpty()).isTrue();

    var off = state("interfaces: [{name: eth1, lldp: {enabled: false}}]");
    assertThat(engine.apply(off, ApplyOptions.defaults())).isInstanceOf(ApplyResult.Applied.class);
    service.sync();
    assertThat(service.listening()).isEmpty();
    assertThat(neighbors().isMissingNode()).isTrue();
    assertThat(StateWriter.toYaml(engine.show("eth1"::equals)))
        .contains("lldp:\n    enabled: false");
  }

  @Test
  void neighboursLeaveWithTtlZeroAndExpireWithTheirTtl() throws Exception {
    engine.apply(
        state("interfaces: [{name: eth1, lldp: {enabled: true}}]"), ApplyOptions.defaults());
    service.sync();
    var frame = upstreamFrame();
    sendFromPeer(frame);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(neighbors()).hasSize(1));

    // The same neighbour (chassis and port id) with TTL 0: it leaves at once.
    var leaving = frame.clone();
    int ttlAt = ttlOffset(frame);
    leaving[ttlAt] = 0;
    leaving[ttlAt + 1] = 0;
    sendFromPeer(leaving);
    await().atMost(Duration.ofSeconds(10)).until(() -> neighbors().isMissingNode());

    // With TTL 2 it is reported, then dropped once the TTL ran out.
    var shortLived = frame.clone();
    shortLived[ttlAt] = 0;
    shortLived[ttlAt + 1] = 2;
    sendFromPeer(shortLived);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(neighbors()).hasSize(1));
    await()
        .atMost(Duration.ofSeconds(10))
        .pollDelay(Duration.ofSeconds(2))
        .until(() -> neighbors().isMissingNode());
  }

  @Test
  void aFailedApplyLeavesLldpAsItWas() throws Exception {
    var keptFile = KeptSettings.file(ns.stateDir, ns.target());
    var failing = ApplyOptions.defaults().withProbes(List.of(applied -> "no"));

    var result = engine.apply(state("interfaces: [{name: eth1, lldp: {enabled: true}}]"), failing);

    assertThat(result).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(keptFile).doesNotExist();
    assertThat(StateWriter.toYaml(engine.show("eth1"::equals)))
        .contains("lldp:\n    enabled: false");
  }

  /** Where the TTL value sits: after the chassis id and port id TLVs. */
  private static int ttlOffset(byte[] frame) {
    int p = 14;
    for (int i = 0; i < 2; i++) {
      int len = ((frame[p] & 1) << 8) | (frame[p + 1] & 0xff);
      p += 2 + len;
    }
    return p + 2;
  }
}
