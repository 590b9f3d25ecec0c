package io.multihome.agent.engine;

import io.multihome.agent.ovsdb.OvsdbClient;
import io.multihome.agent.ovsdb.SwitchState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The Open vSwitch part of a checkpoint: every bridge the plan's transaction adds, changes or
 * removes, as it was (absent ones by name only), and the Open_vSwitch row's maps when the plan
 * changes them. Rollback is the same kind of transaction as the apply: the saved bridges are the
 * specs, the switch now is compared with them, and one transaction puts back what differs.
 */
public final class OvsCheckpoint {
  private OvsCheckpoint() {}

  /**
   * {@code touched}: bridge names the plan writes; {@code bridges}: those that existed, as they
   * were; {@code externalIds}/{@code otherConfig}: the root row's maps, null when not touched.
   */
  public record Saved(
      String socket,
      List<String> touched,
      List<OvsSpec.Bridge> bridges,
      Map<String, String> externalIds,
      Map<String, String> otherConfig) {}

  static Saved capture(Snapshot before, Plan plan) {
    OvsOps.Commit commit = null;
    for (var op : plan.ops()) {
      if (op instanceof OvsOps.Commit c) {
        commit = c;
      }
    }
    if (commit == null || before.ovs() == null || !before.ovs().available()) {
      return null;
    }
    var sw = before.ovs().state();
    var saved = new ArrayList<OvsSpec.Bridge>();
    for (var name : commit.bridges()) {
      var b = OvsSpec.current(sw, name);
      if (b != null) {
        saved.add(b);
      }
    }
    var root = sw.root();
    return new Saved(
        commit.socket().toString(),
        commit.bridges(),
        saved,
        commit.global() ? root.externalIds() : null,
        commit.global() ? root.otherConfig() : null);
  }

  /** Puts the switch back; returns what failed or still differs (empty when restored). */
  static List<String> restore(Saved s) {
    var failures = new ArrayList<String>();
    if (s == null) {
      return failures;
    }
    var socket = Path.of(s.socket());
    try (var c = OvsdbClient.connect(socket, OvsSnapshot.CALL_TIMEOUT)) {
      var result = diff(s, SwitchState.read(c));
      if (!result.isEmpty()) {
        try {
          // Configuration only: an interface that failed before may fail again.
          OvsOps.run(socket, SwitchState.read(c).root().uuid(), result.ops(), List.of());
        } catch (RuntimeException e) {
          failures.add("ovsdb: " + e.getMessage());
        }
      }
      for (var change : diff(s, SwitchState.read(c)).changes()) {
        failures.add("ovsdb: " + change.diff());
      }
    } catch (RuntimeException e) {
      failures.add("ovsdb: restore failed: " + e.getMessage());
    }
    return failures;
  }

  private static OvsSync.Result diff(Saved s, SwitchState now) {
    var remove = new LinkedHashSet<>(s.touched());
    s.bridges().forEach(b -> remove.remove(b.name()));
    var global =
        s.externalIds() == null ? null : new OvsSpec.Global(s.externalIds(), s.otherConfig());
    return OvsSync.diff(now, s.bridges(), remove, global, false);
  }
}
