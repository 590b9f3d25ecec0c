package io.multihome.agent.cli;

import io.multihome.agent.engine.Engine;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code multihome commit}: keeps what {@code apply --no-commit} applied. */
@Command(
    name = "commit",
    mixinStandardHelpOptions = true,
    description = "Keep the state applied by apply --no-commit (ends its checkpoint).")
public final class CommitCommand extends CheckpointCommand {
  @Override
  List<String> end(Engine e) {
    return e.commit() ? List.of() : null;
  }

  @Override
  String done() {
    return "committed";
  }

  @Override
  boolean expiredIsDone() {
    return false;
  }
}
