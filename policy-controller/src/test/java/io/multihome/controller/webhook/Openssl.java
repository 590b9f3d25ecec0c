package io.multihome.controller.webhook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Keys and certificates made by the openssl command line, as administrators make them. */
final class Openssl {
  private Openssl() {}

  static boolean available() {
    return Files.isExecutable(Path.of("/usr/bin/openssl"));
  }

  static void run(Path dir, String... args) throws IOException, InterruptedException {
    var command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    var p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
    }
  }

  /** A self-signed certificate for 127.0.0.1 over {@code key.pem}, written to {@code cert.pem}. */
  static void selfSign(Path dir, String key, String cert) throws IOException, InterruptedException {
    run(
        dir,
        "req",
        "-new",
        "-x509",
        "-key",
        key,
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-days",
        "1",
        "-out",
        cert);
  }
}
