package io.multihome.sriov.sysfs;

import io.multihome.api.sriov.SyncStatus;
import java.util.List;

/**
 * Outcome of applying a node state. Always terminal: the agent writes {@link #syncStatus()} and
 * {@link #lastSyncError()} as-is, so a node is never left {@code InProgress} by an error.
 */
public sealed interface ApplyResult {
  /** Human-readable list of what was changed, in order. */
  List<String> changes();

  SyncStatus syncStatus();

  /** Empty on success. */
  String lastSyncError();

  record Succeeded(List<String> changes) implements ApplyResult {
    public Succeeded {
      changes = List.copyOf(changes);
    }

    @Override
    public SyncStatus syncStatus() {
      return SyncStatus.SUCCEEDED;
    }

    @Override
    public String lastSyncError() {
      return "";
    }
  }

  record Failed(String error, List<String> changes) implements ApplyResult {
    public Failed {
      changes = List.copyOf(changes);
    }

    @Override
    public SyncStatus syncStatus() {
      return SyncStatus.FAILED;
    }

    @Override
    public String lastSyncError() {
      return error;
    }
  }
}
