package io.multihome.agent.lldp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** LLDPDUs decoded as nmstate reports neighbours, checked against nmstate's own test frame. */
class LldpFrameTest {
  static final Path DIR = Path.of("src/test/resources/upstream/nmstate-lldp");

  /** The one frame of nmstate's capture (pcap: 24-byte header, 16-byte record header). */
  static byte[] upstreamFrame() throws IOException {
    var b =
        ByteBuffer.wrap(Files.readAllBytes(DIR.resolve("lldp.pcap")))
            .order(ByteOrder.LITTLE_ENDIAN);
    int len = b.getInt(24 + 8);
    return Arrays.copyOfRange(b.array(), 24 + 16, 24 + 16 + len);
  }

  @Test
  void nmstatesTestFrameDecodesToWhatNmstateExpects() throws Exception {
    var n = LldpFrame.parse(upstreamFrame());

    var expected =
        new ObjectMapper(new YAMLFactory()).readTree(DIR.resolve("expected-neighbor.yml").toFile());
    assertThat(n).isNotNull();
    assertThat(n.tlvs()).isEqualTo(expected);
    assertThat(n.ttl()).isEqualTo(120);
    assertThat(n.tlvs().get(3).fieldNames())
        .toIterable()
        .containsExactly("type", "chassis-id", "chassis-id-type", "_description");
  }

  @Test
  void framesWithoutTheMandatoryTlvsOrForAnotherDestinationAreIgnored() throws Exception {
    var frame = upstreamFrame();
    var wrongDestination = frame.clone();
    wrongDestination[5] = 0x01;
    assertThat(LldpFrame.parse(wrongDestination)).isNull();
    // Cut right after the chassis id TLV: no port id, TTL or end TLV.
    assertThat(LldpFrame.parse(Arrays.copyOf(frame, 14 + 2 + 7))).isNull();
    var notLldp = frame.clone();
    notLldp[13] = 0x00;
    assertThat(LldpFrame.parse(notLldp)).isNull();
  }

  @Test
  void identifiersFollowNetworkManagersTextRules() {
    var f =
        frame(
            tlv(1, bytes(5, 1, 198, 18, 0, 1)), // network address, IPv4
            tlv(2, bytes(7, 'p', 0x01, 'x')), // locally assigned, with a control byte
            tlv(3, bytes(0, 0)), // TTL 0: the neighbour leaves
            tlv(0, bytes()));
    var n = LldpFrame.parse(f);
    assertThat(n.ttl()).isZero();
    assertThat(n.tlvs().get(0).path("chassis-id").asText()).isEqualTo("198.18.0.1");
    assertThat(n.tlvs().get(0).path("_description").asText()).isEqualTo("Network address");
    assertThat(n.tlvs().get(1).path("port-id").asText()).isEqualTo("p\\001x");
    var hex =
        LldpFrame.parse(
            frame(
                tlv(1, bytes(9, 0xab)),
                tlv(2, bytes(6, 1, 2)),
                tlv(3, bytes(0, 120)),
                tlv(0, bytes())));
    assertThat(hex.tlvs().get(0).path("chassis-id").asText()).isEqualTo("09ab");
    assertThat(hex.tlvs().get(1).path("port-id").asText()).isEqualTo("060102");
  }

  static byte[] frame(byte[]... tlvs) {
    var out = new java.io.ByteArrayOutputStream();
    out.writeBytes(bytes(0x01, 0x80, 0xc2, 0, 0, 0x0e, 0x02, 0, 0, 0, 0, 1, 0x88, 0xcc));
    for (var t : tlvs) {
      out.writeBytes(t);
    }
    return out.toByteArray();
  }

  static byte[] tlv(int type, byte[] value) {
    var out = new byte[2 + value.length];
    out[0] = (byte) ((type << 1) | (value.length >> 8));
    out[1] = (byte) value.length;
    System.arraycopy(value, 0, out, 2, value.length);
    return out;
  }

  static byte[] bytes(int... v) {
    var out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (byte) v[i];
    }
    return out;
  }
}
