package io.multihome.controller.webhook;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Hands the TLS stack whatever {@link TlsMaterial} is current, so a renewed certificate is used
 * from the next handshake on without restarting the server. Server side only.
 */
final class ServerKeyManager extends X509ExtendedKeyManager {
  private static final String ALIAS = "webhook";
  private volatile TlsMaterial material;

  ServerKeyManager(TlsMaterial material) {
    this.material = material;
  }

  void use(TlsMaterial next) {
    this.material = next;
  }

  TlsMaterial current() {
    return material;
  }

  /** Our alias only for the key type the handshake asks for (EC, RSA or RSASSA-PSS). */
  private String aliasFor(String keyType) {
    String algorithm = material.key().getAlgorithm();
    boolean fits =
        keyType.equals(algorithm) || ("RSA".equals(algorithm) && "RSASSA-PSS".equals(keyType));
    return fits ? ALIAS : null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyType);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return aliasFor(keyType);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    String alias = aliasFor(keyType);
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? material.chain().toArray(X509Certificate[]::new) : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? material.key() : null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}
