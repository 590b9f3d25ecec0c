package io.multihome.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command for a test (ip, bridge, …) and insists it succeeded. */
public final class Commands {
  private Commands() {}

  /**
   * Runs {@code cmd} to the end and returns its output (stderr merged in); an {@link
   * IllegalStateException} naming the command and its output when it fails or is not done within
   * {@code timeout}.
   */
  public static String run(List<String> cmd, Duration timeout) {
    try {
      var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Stops a daemon a test started: SIGTERM, up to 5 s to exit, then SIGKILL (and up to 5 s more).
   * Interrupted, it kills at once and keeps the interrupt.
   */
  public static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
