package io.multihome.agent.dot1x;

import io.multihome.state.Ieee8021x;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The wpa_supplicant configuration of one port: the wired driver (no scanning), one IEEE8021X
 * network with nmstate's fields, or (MACsec) key agreement with a pre-shared CAK/CKN. Every string
 * is written as hex, which wpa_supplicant reads for all of them, so no value can break out of its
 * line or its quotes.
 */
final class SupplicantConfig {
  private SupplicantConfig() {}

  static String of(Ieee8021x x, String controlDir) {
    var sb = new StringBuilder();
    sb.append("# written by the multihome agent; holds secrets (mode 0600)\n");
    sb.append("ctrl_interface=").append(controlDir).append('\n');
    sb.append("ap_scan=0\n");
    sb.append("network={\n");
    sb.append("  key_mgmt=IEEE8021X\n");
    sb.append("  eapol_flags=0\n");
    sb.append("  eap=");
    sb.append(String.join(" ", x.eapMethods()).toUpperCase(Locale.ROOT)).append('\n');
    str(sb, "identity", x.identity());
    str(sb, "ca_cert", x.caCert());
    str(sb, "ca_path", x.caPath());
    str(sb, "client_cert", x.clientCert());
    str(sb, "private_key", x.privateKey());
    str(sb, "private_key_passwd", x.privateKeyPassword());
    str(sb, "password", x.password());
    if (x.phase2Auth() != null) {
      str(sb, "phase2", "auth=" + x.phase2Auth().toUpperCase(Locale.ROOT));
    }
    sb.append("}\n");
    return sb.toString();
  }

  /**
   * MACsec Key Agreement on {@code macsec_linux}: policy 1 (secure), the pre-shared CAK and CKN,
   * integrity only unless encrypting, and the SCI port.
   */
  static String mka(String cak, String ckn, boolean encrypt, Integer port, String controlDir) {
    var sb = new StringBuilder();
    sb.append("# written by the multihome agent; holds secrets (mode 0600)\n");
    sb.append("ctrl_interface=").append(controlDir).append('\n');
    sb.append("ap_scan=0\n");
    sb.append("network={\n");
    sb.append("  key_mgmt=NONE\n");
    sb.append("  eapol_flags=0\n");
    sb.append("  macsec_policy=1\n");
    sb.append("  macsec_integ_only=").append(encrypt ? 0 : 1).append('\n');
    sb.append("  mka_cak=").append(cak).append('\n');
    sb.append("  mka_ckn=").append(ckn).append('\n');
    if (port != null && port > 0) {
      sb.append("  macsec_port=").append(port).append('\n');
    }
    sb.append("}\n");
    return sb.toString();
  }

  private static void str(StringBuilder sb, String key, String value) {
    if (value == null) {
      return;
    }
    sb.append("  ")
        .append(key)
        .append('=')
        .append(HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8)))
        .append('\n');
  }
}
