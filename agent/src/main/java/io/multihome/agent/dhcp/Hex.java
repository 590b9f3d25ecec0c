package io.multihome.agent.dhcp;

import java.util.HexFormat;

/** Colon-separated hex bytes, as nmstate writes identifiers ({@code 01:52:54:00:12:34:56}). */
final class Hex {
  private static final HexFormat COLON = HexFormat.ofDelimiter(":");

  private Hex() {}

  static String text(byte[] b) {
    return COLON.formatHex(b);
  }

  static byte[] bytes(String text) {
    return COLON.parseHex(text.toLowerCase(java.util.Locale.ROOT));
  }
}
