package io.multihome.agent.cluster;

import java.util.List;

/** How one {@link NodeNetwork#apply} ended. {@code changes} is a one-line-per-change summary. */
public sealed interface ApplyOutcome {
  List<String> changes();

  /** Applied, verified, probed and committed. */
  record Applied(List<String> changes) implements ApplyOutcome {
    public Applied {
      changes = List.copyOf(changes);
    }
  }

  /** A step failed ({@code reason}: kernel error, verification or probe); the node is as before. */
  record RolledBack(String reason, List<String> changes) implements ApplyOutcome {
    public RolledBack {
      changes = List.copyOf(changes);
    }
  }

  /** A step failed and the rollback could not restore everything; {@code leftovers} differ. */
  record RollbackFailed(String reason, List<String> changes, List<String> leftovers)
      implements ApplyOutcome {
    public RollbackFailed {
      changes = List.copyOf(changes);
      leftovers = List.copyOf(leftovers);
    }
  }

  /** The desired state cannot be applied to this node at all; nothing was touched; no retry. */
  record Rejected(String reason) implements ApplyOutcome {
    @Override
    public List<String> changes() {
      return List.of();
    }
  }
}
