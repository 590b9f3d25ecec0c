package io.multihome.kernelvm;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs iproute2 and shell commands for kernel tests. Outputs are drained on other threads so a
 * chatty command cannot block on a full pipe; a hung command is killed rather than hanging CI.
 */
public final class Commands {

  private static final long TIMEOUT_SECONDS = 60;
  private static final ProcessBuilder.Redirect NO_INPUT =
      ProcessBuilder.Redirect.from(new File("/dev/null"));

  private Commands() {}

  public static CommandResult run(List<String> command) {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectInput(NO_INPUT).start();
    } catch (IOException e) {
      // A missing binary is an ordinary failed command, so feature probes can report it.
      return new CommandResult(command, 127, "", e.getMessage());
    }
    var stdout = drain(process.getInputStream());
    var stderr = drain(process.getErrorStream());
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(
            String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + String.join(" ", command), e);
    }
    return new CommandResult(command, process.exitValue(), stdout.join(), stderr.join());
  }

  public static CommandResult run(String... command) {
    return run(List.of(command));
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
