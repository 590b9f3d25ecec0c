package io.multihome.agent.netlink;

import java.util.Arrays;
import java.util.HexFormat;

/** A hardware (MAC) address; immutable, compared by value, printed as aa:bb:cc:dd:ee:ff. */
public final class HwAddr {
  private final byte[] bytes;

  private HwAddr(byte[] bytes) {
    this.bytes = bytes.clone();
  }

  public static HwAddr of(byte[] bytes) {
    return new HwAddr(bytes);
  }

  /** Parses {@code aa:bb:cc:dd:ee:ff}; the error names the bad text. */
  /** Also how a checkpoint file holds it (text, as ip(8) prints it). */
  @com.fasterxml.jackson.annotation.JsonCreator
  public static HwAddr parse(String text) {
    String[] parts = text.split(":");
    if (parts.length < 1 || parts.length > 32) {
      throw new IllegalArgumentException("mac: invalid '" + text + "'");
    }
    byte[] b = new byte[parts.length];
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].length() != 2) {
        throw new IllegalArgumentException("mac: invalid '" + text + "'");
      }
      try {
        b[i] = (byte) Integer.parseInt(parts[i], 16);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("mac: invalid '" + text + "'");
      }
    }
    return new HwAddr(b);
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HwAddr h && Arrays.equals(bytes, h.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  @com.fasterxml.jackson.annotation.JsonValue
  public String toString() {
    return HexFormat.ofDelimiter(":").formatHex(bytes);
  }
}
