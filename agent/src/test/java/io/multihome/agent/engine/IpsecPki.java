package io.multihome.agent.engine;

import io.multihome.testkit.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * A throwaway CA and host certificates for IPsec x509 tests, made with openssl in a temp directory:
 * each host certificate has its name as CN and as DNS subject alternative name (what libreswan
 * checks an {@code @name} id against), and is imported into an NSS database with its key under its
 * name as nickname (pk12util), the CA trusted beside it (certutil) — the way a user imports
 * certificates into the database the ipsec service names.
 */
final class IpsecPki implements AutoCloseable {
  private static final String PASS = "mh-test";
  final Path dir;

  private IpsecPki(Path dir) {
    this.dir = dir;
  }

  static IpsecPki create(String... hosts) throws IOException {
    var pki = new IpsecPki(Files.createTempDirectory("mh-ipsec-pki"));
    pki.sh(
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2"
            + " -subj /CN=mh-test-ca -addext basicConstraints=critical,CA:TRUE"
            + " -addext keyUsage=critical,keyCertSign,cRLSign 2>&1");
    for (var h : hosts) {
      pki.sh(
          ("openssl req -newkey rsa:2048 -nodes -keyout H.key -out H.csr -subj /CN=H 2>&1"
                  + " && printf 'subjectAltName=DNS:H\\nextendedKeyUsage=serverAuth,clientAuth\\n'"
                  + " > H.ext && openssl x509 -req -in H.csr -CA ca.pem -CAkey ca.key"
                  + " -CAcreateserial -out H.pem -days 2 -extfile H.ext 2>&1"
                  + " && openssl pkcs12 -export -in H.pem -inkey H.key -name H -out H.p12"
                  + " -passout pass:"
                  + PASS)
              .replace("H", h));
    }
    return pki;
  }

  /** Imports {@code host}'s certificate and key (nickname {@code host}) and trusts the CA. */
  void importInto(Path nss, String host) {
    sh("pk12util -i " + host + ".p12 -d sql:" + nss + " -W " + PASS + " 2>&1");
    sh("certutil -A -d sql:" + nss + " -n mh-test-ca -t CT,, -a -i ca.pem 2>&1");
  }

  private String sh(String script) {
    return Commands.run(List.of("sh", "-c", "cd " + dir + " && " + script), Duration.ofSeconds(60));
  }

  @Override
  public void close() throws IOException {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
