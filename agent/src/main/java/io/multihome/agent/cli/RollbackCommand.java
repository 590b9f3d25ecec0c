package io.multihome.agent.cli;

import io.multihome.agent.engine.Engine;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code multihome rollback}: restores the state from before {@code apply --no-commit}. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = "Restore the state from before apply --no-commit (ends its checkpoint).")
public final class RollbackCommand extends CheckpointCommand {
  @Override
  List<String> end(Engine e) {
    return e.rollback();
  }

  @Override
  String done() {
    return "rolled back";
  }

  @Override
  boolean expiredIsDone() {
    return true;
  }
}
