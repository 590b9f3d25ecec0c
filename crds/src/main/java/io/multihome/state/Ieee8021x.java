package io.multihome.state;

import java.util.List;

/**
 * An interface's {@code 802.1x} section: how the port authenticates to the switch (IEEE 802.1X, EAP
 * over LAN). Paths are files on the node; {@code password} and {@code private-key-password} are
 * secrets: {@link #masked} replaces them by nmstate's placeholder, as {@code show} prints them, and
 * a desired state that carries the placeholder keeps the secret in effect. A key left out is null.
 */
public record Ieee8021x(
    String identity,
    List<String> eapMethods,
    String privateKey,
    String clientCert,
    String caCert,
    String privateKeyPassword,
    String phase2Auth,
    String password,
    Long authTimeout,
    String caPath) {

  /** What nmstate prints instead of a secret (and reads back as "keep the current one"). */
  public static final String HIDDEN = "<_password_hid_by_nmstate>";

  /** The EAP methods multihome's supplicant is configured for. */
  public static final List<String> EAP_METHODS = List.of("tls", "peap", "ttls", "md5");

  /** Inner (phase 2) methods for PEAP and TTLS. */
  public static final List<String> PHASE2 =
      List.of("mschapv2", "md5", "gtc", "pap", "chap", "mschap");

  /** This with each secret given replaced by {@link #HIDDEN}. */
  public Ieee8021x masked() {
    return new Ieee8021x(
        identity,
        eapMethods,
        privateKey,
        clientCert,
        caCert,
        privateKeyPassword == null ? null : HIDDEN,
        phase2Auth,
        password == null ? null : HIDDEN,
        authTimeout,
        caPath);
  }

  /**
   * This with a {@link #HIDDEN} secret replaced by {@code current}'s (nmstate's rule for a state
   * copied from {@code show}); a placeholder without a current secret stays (validation refuses it
   * later).
   */
  public Ieee8021x withSecretsOf(Ieee8021x current) {
    String pkp = privateKeyPassword;
    String pw = password;
    if (HIDDEN.equals(pkp) && current != null && current.privateKeyPassword() != null) {
      pkp = current.privateKeyPassword();
    }
    if (HIDDEN.equals(pw) && current != null && current.password() != null) {
      pw = current.password();
    }
    return new Ieee8021x(
        identity,
        eapMethods,
        privateKey,
        clientCert,
        caCert,
        pkp,
        phase2Auth,
        pw,
        authTimeout,
        caPath);
  }

  /** Never prints a secret (records print every component otherwise). */
  @Override
  public String toString() {
    return "Ieee8021x" + masked().fields();
  }

  private String fields() {
    return "[identity="
        + identity
        + ", eap-methods="
        + eapMethods
        + ", private-key="
        + privateKey
        + ", client-cert="
        + clientCert
        + ", ca-cert="
        + caCert
        + ", private-key-password="
        + privateKeyPassword
        + ", phase2-auth="
        + phase2Auth
        + ", password="
        + password
        + ", auth-timeout="
        + authTimeout
        + ", ca-path="
        + caPath
        + "]";
  }
}
