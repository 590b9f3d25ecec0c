package io.multihome.controller.webhook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A certificate and key on disk (a mounted kubernetes.io/tls Secret: {@code tls.crt}, {@code
 * tls.key}), re-read when their content changes. A Secret update swaps a symlink, so the content is
 * compared, not modification times. A pair that does not load (renewal caught half-written) keeps
 * the previous material until a later check loads.
 */
final class CertificateFiles {
  private static final Logger log = LoggerFactory.getLogger(CertificateFiles.class);

  private final Path cert;
  private final Path key;
  private byte[] lastCert = new byte[0];
  private byte[] lastKey = new byte[0];

  CertificateFiles(Path cert, Path key) {
    this.cert = cert;
    this.key = key;
  }

  /** The first load: failures are the caller's (the server cannot start without a certificate). */
  TlsMaterial load() {
    try {
      return read(Files.readAllBytes(cert), Files.readAllBytes(key));
    } catch (IOException e) {
      throw new IllegalArgumentException("webhook certificate: cannot read " + e.getMessage(), e);
    }
  }

  /** New material when the files changed and load; empty otherwise. */
  synchronized Optional<TlsMaterial> changed() {
    try {
      byte[] c = Files.readAllBytes(cert);
      byte[] k = Files.readAllBytes(key);
      if (Arrays.equals(c, lastCert) && Arrays.equals(k, lastKey)) {
        return Optional.empty();
      }
      var next = read(c, k);
      log.info(
          "webhook certificate reloaded from {} (expires {})",
          cert,
          next.certificate().getNotAfter());
      return Optional.of(next);
    } catch (IOException | IllegalArgumentException e) {
      log.warn("webhook certificate not reloaded, keeping the current one: {}", e.getMessage());
      return Optional.empty();
    }
  }

  private synchronized TlsMaterial read(byte[] c, byte[] k) {
    var material =
        TlsMaterial.fromPem(
            new String(c, java.nio.charset.StandardCharsets.US_ASCII),
            new String(k, java.nio.charset.StandardCharsets.US_ASCII));
    lastCert = c;
    lastKey = k;
    return material;
  }

  @Override
  public String toString() {
    return cert + " + " + key;
  }
}
