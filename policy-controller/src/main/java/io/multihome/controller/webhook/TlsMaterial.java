package io.multihome.controller.webhook;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemGenerationException;

/**
 * The server's key and certificate chain, and {@code caPem}: what a client must trust (the
 * MutatingWebhookConfiguration's {@code caBundle}); empty when the CA is not known here
 * (certificate files issued elsewhere).
 */
public record TlsMaterial(PrivateKey key, List<X509Certificate> chain, String caPem) {
  private static final JcaX509CertificateConverter CERTS = new JcaX509CertificateConverter();

  public TlsMaterial {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("certificate: no certificate found");
    }
  }

  /**
   * Reads PEM text as cert-manager, kubernetes.io/tls Secrets and openssl write them: a chain of
   * CERTIFICATE blocks and one key in PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE
   * KEY}) or SEC1 ({@code EC PRIVATE KEY}). Errors name the file that is wrong.
   */
  public static TlsMaterial fromPem(String certPem, String keyPem) {
    var chain = new ArrayList<X509Certificate>();
    try (var parser = new PEMParser(new StringReader(certPem))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof X509CertificateHolder holder) {
          chain.add(CERTS.getCertificate(holder));
        }
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("certificate: not PEM certificates: " + e.getMessage(), e);
    }
    PrivateKey key = null;
    try (var parser = new PEMParser(new StringReader(keyPem))) {
      var keys = new JcaPEMKeyConverter();
      for (Object o = parser.readObject(); o != null && key == null; o = parser.readObject()) {
        if (o instanceof PEMKeyPair pair) {
          // The private part only: SEC1 keys may leave out the optional public key.
          key = keys.getPrivateKey(pair.getPrivateKeyInfo());
        } else if (o instanceof PrivateKeyInfo info) {
          key = keys.getPrivateKey(info);
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("key: not a PEM private key: " + e.getMessage(), e);
    }
    if (key == null) {
      throw new IllegalArgumentException("key: no unencrypted private key found");
    }
    if (!chain.isEmpty()
        && !chain.get(0).getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
      throw new IllegalArgumentException(
          "key: a "
              + key.getAlgorithm()
              + " key does not match the certificate's "
              + chain.get(0).getPublicKey().getAlgorithm()
              + " public key");
    }
    return new TlsMaterial(key, chain, "");
  }

  /**
   * A fresh CA and a server certificate it signs, for {@code hosts} (DNS names, or IP literals),
   * valid for {@code validity}: development, the lab, and clusters that let the controller publish
   * its own {@code caBundle}. ECDSA P-256 keys: cheap handshakes.
   */
  public static TlsMaterial selfSigned(List<String> hosts, Duration validity) {
    try {
      var generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair caKeys = generator.generateKeyPair();
      KeyPair serverKeys = generator.generateKeyPair();
      var now = Instant.now().minus(Duration.ofMinutes(5));
      var until = now.plus(validity);
      var caName = new X500Name("CN=multihome-webhook-ca");
      var ca =
          new JcaX509v3CertificateBuilder(
                  caName, serial(), Date.from(now), Date.from(until), caName, caKeys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      X509Certificate caCert = CERTS.getCertificate(ca.build(signer(caKeys.getPrivate())));
      var names = new ArrayList<GeneralName>();
      for (var h : hosts) {
        names.add(
            isIp(h)
                ? new GeneralName(GeneralName.iPAddress, h)
                : new GeneralName(GeneralName.dNSName, h));
      }
      var server =
          new JcaX509v3CertificateBuilder(
                  caName,
                  serial(),
                  Date.from(now),
                  Date.from(until),
                  new X500Name("CN=" + hosts.get(0)),
                  serverKeys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
              .addExtension(
                  Extension.subjectAlternativeName,
                  false,
                  new GeneralNames(names.toArray(GeneralName[]::new)));
      X509Certificate serverCert = CERTS.getCertificate(server.build(signer(caKeys.getPrivate())));
      return new TlsMaterial(serverKeys.getPrivate(), List.of(serverCert, caCert), pem(caCert));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot make a self-signed certificate: " + e, e);
    }
  }

  /** The server certificate and its chain as PEM. */
  public String chainPem() {
    var out = new StringBuilder();
    for (var c : chain) {
      out.append(pem(c));
    }
    return out.toString();
  }

  /** The private key as PKCS#8 PEM ({@code PRIVATE KEY}), what {@code openssl genpkey} writes. */
  public String keyPem() {
    try {
      return pem(new JcaPKCS8Generator(key, null).generate());
    } catch (PemGenerationException e) {
      throw new IllegalStateException("cannot encode the key: " + e, e);
    }
  }

  public X509Certificate certificate() {
    return chain.get(0);
  }

  static String pem(Object object) {
    var text = new StringWriter();
    try (var writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  private static BigInteger serial() {
    return new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE);
  }

  private static org.bouncycastle.operator.ContentSigner signer(PrivateKey key)
      throws OperatorCreationException {
    return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
  }

  private static boolean isIp(String host) {
    if (!host.matches("[0-9.]+") && !host.contains(":")) {
      return false;
    }
    try {
      InetAddress.getByName(host);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
