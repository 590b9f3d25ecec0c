package io.multihome.agent.cli;

import io.multihome.agent.engine.Engine;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/**
 * {@code commit} and {@code rollback}: end the pending checkpoint of the target, after the dead-man
 * switch had its turn. Exit 0 done · 1 nothing pending (or the deadline passed) · 3 the rollback
 * left differences (listed).
 */
abstract class CheckpointCommand implements Callable<Integer> {
  @Mixin EngineOptions engine;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Ends the checkpoint: null when none was pending, else what still differs (empty: done). */
  abstract List<String> end(Engine e);

  /** What success prints. */
  abstract String done();

  /** Whether an expired checkpoint rolled back just before counts as done (rollback: yes). */
  abstract boolean expiredIsDone();

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    try {
      boolean expired = engine.recoverExpired(err);
      try (var e = engine.open()) {
        var left = end(e);
        if (left == null) {
          if (expired && expiredIsDone()) {
            return 0;
          }
          err.println("multihome: no pending checkpoint for " + engine.target().label());
          return 1;
        }
        if (!left.isEmpty()) {
          err.println("multihome: rollback incomplete; still different:");
          left.forEach(l -> err.println("  " + l));
          return 3;
        }
      }
      out.println(done());
      return 0;
    } catch (IllegalStateException ex) {
      err.println("multihome: " + ex.getMessage());
      return 1;
    } finally {
      out.flush();
      err.flush();
    }
  }
}
