package io.multihome.agent.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code multihome commit}: keeps what {@code apply --no-commit} applied. */
@Command(
    name = "commit",
    mixinStandardHelpOptions = true,
    description = "Keep the state applied by apply --no-commit (ends its checkpoint).")
public final class CommitCommand implements Callable<Integer> {
  @Mixin EngineOptions engine;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    engine.recover(err);
    try (var e = engine.open()) {
      if (!e.commit()) {
        err.println("multihome: no pending checkpoint for " + engine.target().label());
        err.flush();
        return 1;
      }
    } catch (IllegalStateException ex) {
      err.println("multihome: " + ex.getMessage());
      err.flush();
      return 1;
    }
    out.println("committed");
    out.flush();
    return 0;
  }
}
