package io.multihome.agent.engine;

import io.multihome.state.Ieee8021x;

/**
 * MACsec Key Agreement of one MACsec interface: its base interface (where the supplicant runs), the
 * pre-shared CAK (a secret) and CKN, whether frames are encrypted (else integrity only) and the SCI
 * port (1 is the kernel's default, nmstate's 0).
 */
public record MkaConfig(String baseIface, String cak, String ckn, boolean encrypt, int port) {

  /** Never prints the CAK. */
  @Override
  public String toString() {
    return "MkaConfig[base-iface="
        + baseIface
        + ", mka-cak="
        + Ieee8021x.HIDDEN
        + ", mka-ckn="
        + ckn
        + ", encrypt="
        + encrypt
        + ", port="
        + port
        + "]";
  }
}
