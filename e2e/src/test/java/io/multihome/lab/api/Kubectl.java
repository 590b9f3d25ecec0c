package io.multihome.lab.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code kubectl} (Debian: {@code kubectl}, or {@code kubernetes-client}; installed
 * by .ci/run) against a lab API server through a kubeconfig of its own.
 */
final class Kubectl {
  /** What one kubectl run printed. */
  record Result(int exit, String out, String err) {
    /** stdout, failing loudly when kubectl failed or printed warnings or errors. */
    String clean() {
      if (exit != 0 || !err.isBlank()) {
        throw new AssertionError(
            "kubectl exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err);
      }
      return out;
    }
  }

  static final Path BINARY = Path.of("/usr/bin/kubectl");

  private final Path kubeconfig;

  Kubectl(Path dir, String serverUrl) throws IOException {
    if (!Files.isExecutable(BINARY)) {
      throw new AssertionError(
          "kubectl is not installed ("
              + BINARY
              + "); .ci/run installs it (Debian package"
              + " kubernetes-client when no kubectl is present)");
    }
    kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: lab",
            "  cluster:",
            "    server: " + serverUrl,
            "contexts:",
            "- name: lab",
            "  context:",
            "    cluster: lab",
            "    user: lab",
            "    namespace: default",
            "current-context: lab",
            "users:",
            "- name: lab",
            "  user:",
            "    token: lab",
            ""));
  }

  Result run(String... args) throws IOException, InterruptedException {
    return runWithInput(null, args);
  }

  Result runWithInput(String stdin, String... args) throws IOException, InterruptedException {
    var cmd =
        new ArrayList<String>(List.of(BINARY.toString(), "--kubeconfig", kubeconfig.toString()));
    cmd.addAll(List.of(args));
    var pb = new ProcessBuilder(cmd);
    pb.environment().remove("KUBECONFIG");
    pb.environment().put("HOME", kubeconfig.getParent().toString());
    var p = pb.start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    var out = new java.io.ByteArrayOutputStream();
    var err = new java.io.ByteArrayOutputStream();
    var tOut = new Thread(() -> copy(p.getInputStream(), out));
    var tErr = new Thread(() -> copy(p.getErrorStream(), err));
    tOut.start();
    tErr.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    tOut.join();
    tErr.join();
    return new Result(
        p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Starts kubectl without waiting (for {@code get -w}); the caller destroys it. */
  Process start(String... args) throws IOException {
    var cmd =
        new ArrayList<String>(List.of(BINARY.toString(), "--kubeconfig", kubeconfig.toString()));
    cmd.addAll(List.of(args));
    var pb = new ProcessBuilder(cmd);
    pb.environment().remove("KUBECONFIG");
    pb.environment().put("HOME", kubeconfig.getParent().toString());
    return pb.start();
  }

  private static void copy(java.io.InputStream in, java.io.OutputStream out) {
    try (in) {
      in.transferTo(out);
    } catch (IOException e) {
      // the process ended
    }
  }
}
