package io.multihome.agent.engine;

import java.util.List;

/** How an apply ended; {@link #exitCode()} is what {@code multihome apply} exits with. */
public sealed interface ApplyResult {
  Plan plan();

  int exitCode();

  /** Applied and verified (and probed); {@code pending} when the checkpoint awaits commit. */
  record Applied(Plan plan, boolean pending) implements ApplyResult {
    @Override
    public int exitCode() {
      return 0;
    }
  }

  /** Something failed; the node is back as it was. */
  record RolledBack(Plan plan, String reason) implements ApplyResult {
    @Override
    public int exitCode() {
      return 1;
    }
  }

  /** Something failed and the rollback could not finish; {@code leftovers} says what differs. */
  record RollbackFailed(Plan plan, String reason, List<String> leftovers) implements ApplyResult {
    @Override
    public int exitCode() {
      return 3;
    }
  }
}
