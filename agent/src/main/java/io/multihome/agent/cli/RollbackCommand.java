package io.multihome.agent.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code multihome rollback}: restores the state from before {@code apply --no-commit}. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = "Restore the state from before apply --no-commit (ends its checkpoint).")
public final class RollbackCommand implements Callable<Integer> {
  @Mixin EngineOptions engine;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    // An expired checkpoint is rolled back here too; then there is nothing left to do below.
    var recovered = engine.recoverExpired(err);
    try (var e = engine.open()) {
      var left = e.rollback();
      if (left == null) {
        if (recovered) {
          return 0;
        }
        err.println("multihome: no pending checkpoint for " + engine.target().label());
        err.flush();
        return 1;
      }
      if (!left.isEmpty()) {
        err.println("multihome: rollback incomplete; still different:");
        left.forEach(l -> err.println("  " + l));
        err.flush();
        return 3;
      }
    }
    out.println("rolled back");
    out.flush();
    return 0;
  }
}
