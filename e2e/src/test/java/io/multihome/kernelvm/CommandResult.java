package io.multihome.kernelvm;

import java.util.List;

/** What one external command (ip, bridge, sh) did: its exit code and both outputs. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

  public boolean ok() {
    return exitCode == 0;
  }

  /** Returns this result when the command succeeded, else fails the test with its stderr. */
  public CommandResult orFail() {
    if (!ok()) {
      throw new AssertionError(describe());
    }
    return this;
  }

  public String describe() {
    return String.join(" ", command) + " exited " + exitCode + ": " + stderr.strip();
  }
}
