package io.multihome.agent.engine;

import io.multihome.testkit.Commands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * Test certificates for 802.1X made once per JVM by openssl in a temp directory (removed at exit),
 * named as nmstate's examples name them under /etc/pki/802-1x-test: {@code ca.crt}, {@code
 * client.example.org.crt} and {@code client.example.org.key} (encrypted with the examples'
 * private-key-password "password"), plus the authenticator's {@code server.crt}/{@code server.key}.
 */
final class Dot1xPki {
  /** The directory nmstate's examples use, replaced by {@link #dir()} in the test copies. */
  static final String UPSTREAM_DIR = "/etc/pki/802-1x-test/";

  private static Path dir;

  private Dot1xPki() {}

  static synchronized Path dir() {
    if (dir == null) {
      try {
        dir = make();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return dir;
  }

  private static Path make() throws IOException {
    var d = Files.createTempDirectory("mh-pki-");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(d)));
    var days = "2";
    openssl(
        d,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-noenc",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        days,
        "-subj",
        "/CN=multihome test CA");
    for (var who : List.of("server.example.org", "client.example.org")) {
      boolean client = who.startsWith("client");
      var key = client ? "client.example.org.key" : "server.key";
      var crt = client ? "client.example.org.crt" : "server.crt";
      if (client) {
        openssl(
            d,
            "req",
            "-newkey",
            "rsa:2048",
            "-keyout",
            key,
            "-passout",
            "pass:password",
            "-out",
            who + ".csr",
            "-subj",
            "/CN=" + who);
      } else {
        openssl(
            d,
            "req",
            "-newkey",
            "rsa:2048",
            "-noenc",
            "-keyout",
            key,
            "-out",
            who + ".csr",
            "-subj",
            "/CN=" + who);
      }
      openssl(
          d,
          "x509",
          "-req",
          "-in",
          who + ".csr",
          "-CA",
          "ca.crt",
          "-CAkey",
          "ca.key",
          "-CAcreateserial",
          "-out",
          crt,
          "-days",
          days);
    }
    return d;
  }

  private static void openssl(Path d, String... args) {
    var cmd = new java.util.ArrayList<String>();
    cmd.add("sh");
    cmd.add("-c");
    var sb = new StringBuilder("cd '" + d + "' && openssl");
    for (var a : args) {
      sb.append(" '").append(a).append('\'');
    }
    cmd.add(sb.toString());
    Commands.run(cmd, Duration.ofSeconds(60));
  }

  private static void delete(Path d) {
    try (var files = Files.walk(d)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort at exit
    }
  }
}
