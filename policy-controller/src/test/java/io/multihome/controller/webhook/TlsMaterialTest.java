package io.multihome.controller.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsMaterialTest {
  @TempDir Path dir;

  @BeforeEach
  void openssl() {
    assumeTrue(Openssl.available(), "needs /usr/bin/openssl to make the keys");
  }

  TlsMaterial load(String cert, String key) throws Exception {
    return TlsMaterial.fromPem(
        Files.readString(dir.resolve(cert)), Files.readString(dir.resolve(key)));
  }

  @Test
  void readsTheKeyEncodingsOpensslAndCertManagerWrite() throws Exception {
    // SEC1 (EC PRIVATE KEY), as `openssl ecparam -genkey` writes it.
    Openssl.run(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.key");
    Openssl.selfSign(dir, "ec.key", "ec.crt");
    assertThat(Files.readString(dir.resolve("ec.key"))).contains("BEGIN EC PRIVATE KEY");
    assertThat(load("ec.crt", "ec.key").key().getAlgorithm()).isEqualTo("EC");
    // PKCS#1 (RSA PRIVATE KEY): cert-manager's default encoding.
    Openssl.run(dir, "genrsa", "-traditional", "-out", "rsa.key", "2048");
    Openssl.selfSign(dir, "rsa.key", "rsa.crt");
    assertThat(Files.readString(dir.resolve("rsa.key"))).contains("BEGIN RSA PRIVATE KEY");
    assertThat(load("rsa.crt", "rsa.key").key().getAlgorithm()).isEqualTo("RSA");
    // PKCS#8 (PRIVATE KEY).
    Openssl.run(
        dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "p8.key");
    Openssl.selfSign(dir, "p8.key", "p8.crt");
    assertThat(Files.readString(dir.resolve("p8.key"))).contains("BEGIN PRIVATE KEY");
    var m = load("p8.crt", "p8.key");
    assertThat(m.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=127.0.0.1");
  }

  @Test
  void aWrongPairOrNotPemIsRefusedNamingTheFile() throws Exception {
    Openssl.run(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.key");
    Openssl.selfSign(dir, "ec.key", "ec.crt");
    Openssl.run(dir, "genrsa", "-traditional", "-out", "rsa.key", "2048");
    assertThatThrownBy(() -> load("ec.crt", "rsa.key"))
        .hasMessage("key: a RSA key does not match the certificate's EC public key");
    assertThatThrownBy(
            () -> TlsMaterial.fromPem("nothing", Files.readString(dir.resolve("ec.key"))))
        .hasMessage("certificate: no certificate found");
    assertThatThrownBy(() -> TlsMaterial.fromPem(Files.readString(dir.resolve("ec.crt")), "x"))
        .hasMessage("key: no unencrypted private key found");
  }

  @Test
  void theSelfSignedChainIsSignedByTheCaItPublishes() throws Exception {
    var m = TlsMaterial.selfSigned(List.of("svc.ns.svc", "127.0.0.1"), Duration.ofDays(1));
    var ca = m.chain().get(1);
    m.certificate().verify(ca.getPublicKey());
    assertThat(m.caPem()).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(m.certificate().getSubjectAlternativeNames())
        .extracting(l -> l.get(1).toString())
        .containsExactly("svc.ns.svc", "127.0.0.1");
    // Round trip through PEM, as the files of a Secret.
    var back = TlsMaterial.fromPem(m.chainPem(), m.keyPem());
    assertThat(back.certificate()).isEqualTo(m.certificate());
    assertThat(back.key().getEncoded()).isEqualTo(m.key().getEncoded());
  }
}
