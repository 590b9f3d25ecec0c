package io.multihome.agent.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** nmstate's dhcp-client-id and dhcp-duid values as bytes on the wire. */
class ClientIdsTest {
  private static final byte[] MAC = {0x52, 0x54, 0, 0x12, 0x34, 0x56};

  private static String hex(byte[] b) {
    return b == null ? null : HexFormat.ofDelimiter(":").formatHex(b);
  }

  @Test
  void clientIds() {
    assertThat(hex(ClientIds.clientId(null, "eth1", MAC))).isEqualTo("01:52:54:00:12:34:56");
    assertThat(hex(ClientIds.clientId("LL", "eth1", MAC))).isEqualTo("01:52:54:00:12:34:56");
    assertThat(hex(ClientIds.clientId("mac", "eth1", MAC))).isEqualTo("01:52:54:00:12:34:56");
    assertThat(ClientIds.clientId("none", "eth1", MAC)).isNull();
    assertThat(hex(ClientIds.clientId("00:aa:BB", "eth1", MAC))).isEqualTo("00:aa:bb");
    var iaidDuid = ClientIds.clientId("iaid+duid", "eth1", MAC);
    // 0xff, IAID (4), DUID-LL (00:03 00:01 MAC).
    assertThat(hex(iaidDuid)).startsWith("ff:").endsWith(":00:03:00:01:52:54:00:12:34:56");
    assertThat(iaidDuid).hasSize(1 + 4 + 10);
    assertThat(ClientIds.clientId("iaid+duid", "eth2", MAC)).isNotEqualTo(iaidDuid);
  }

  @Test
  void duids() {
    assertThat(hex(ClientIds.duid(null, MAC))).isEqualTo("00:03:00:01:52:54:00:12:34:56");
    assertThat(hex(ClientIds.duid("llt", MAC))).startsWith("00:01:00:01:").hasSize(14 * 3 - 1);
    assertThat(hex(ClientIds.duid("en", MAC))).startsWith("00:02:00:00:ab:11:");
    assertThat(ClientIds.duid("uuid", MAC)).hasSize(18).startsWith(0, 4);
    assertThat(ClientIds.duid("uuid", MAC)).isEqualTo(ClientIds.duid("UUID", MAC));
  }
}
