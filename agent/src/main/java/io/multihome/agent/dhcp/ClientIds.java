package io.multihome.agent.dhcp;

import io.multihome.state.DhcpIdentifiers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * DHCP identities as nmstate names them. DHCPv4 client id (option 61): {@code ll} (the default, as
 * NetworkManager's {@code mac}): type 1 + the MAC; {@code iaid+duid} (RFC 4361): 0xff + IAID +
 * DUID; {@code none}: no option 61 (the server keys on chaddr); hex bytes: as given. DHCPv6 DUID:
 * {@code ll} (the default) DUID-LL of the interface's MAC, {@code llt} DUID-LLT with a fixed time,
 * {@code en} DUID-EN, {@code uuid} DUID-UUID, the last two derived from the MAC so they are stable
 * without state; hex bytes: as given. The IAID is a CRC32 of the interface name (stable across MAC
 * changes, as NetworkManager's default).
 */
final class ClientIds {
  /** The IANA enterprise number systemd uses for its DUID-EN; any registered number will do. */
  private static final int ENTERPRISE = 43793;

  /** 2000-01-01T00:00:00Z: the DUID-LLT epoch; a fixed time keeps the DUID the same forever. */
  private static final int LLT_TIME = 0;

  private ClientIds() {}

  static byte[] clientId(String setting, String ifname, byte[] mac) {
    var s = setting == null ? "ll" : DhcpIdentifiers.normalize(setting);
    return switch (s) {
      case "ll", "mac" -> concat(new byte[] {1}, mac);
      case "iaid+duid", "duid" ->
          concat(new byte[] {(byte) 0xff}, concat(iaid(ifname), duid("ll", mac)));
      case "none" -> null;
      default -> Hex.bytes(setting);
    };
  }

  static byte[] duid(String setting, byte[] mac) {
    var s = setting == null ? "ll" : DhcpIdentifiers.normalize(setting);
    return switch (s) {
      case "ll" -> concat(new byte[] {0, 3, 0, 1}, mac);
      case "llt" ->
          concat(
              ByteBuffer.allocate(8)
                  .putShort((short) 1)
                  .putShort((short) 1)
                  .putInt(LLT_TIME)
                  .array(),
              mac);
      case "en" ->
          concat(
              ByteBuffer.allocate(6).putShort((short) 2).putInt(ENTERPRISE).array(),
              ByteBuffer.allocate(8)
                  .putLong(crc(mac) << 16 | (mac.length > 0 ? mac[0] : 0))
                  .array());
      case "uuid" -> {
        var u = java.util.UUID.nameUUIDFromBytes(mac);
        yield ByteBuffer.allocate(18)
            .putShort((short) 4)
            .putLong(u.getMostSignificantBits())
            .putLong(u.getLeastSignificantBits())
            .array();
      }
      default -> Hex.bytes(setting);
    };
  }

  static byte[] iaid(String ifname) {
    return ByteBuffer.allocate(4)
        .putInt((int) crc(ifname.getBytes(StandardCharsets.UTF_8)))
        .array();
  }

  static long iaidValue(String ifname) {
    return crc(ifname.getBytes(StandardCharsets.UTF_8));
  }

  private static long crc(byte[] b) {
    var c = new CRC32();
    c.update(b);
    return c.getValue();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
