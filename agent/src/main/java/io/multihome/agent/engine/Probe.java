package io.multihome.agent.engine;

/**
 * A check the engine runs after a plan applied and verified, before it commits (the agent adds
 * gateway ping, DNS and API-server probes). A failure — a non-null reason or an exception — rolls
 * the change back.
 */
@FunctionalInterface
public interface Probe {
  /** Null when healthy, else why not. {@code applied} is the node as verification read it. */
  String check(Snapshot applied) throws Exception;

  /** What failure messages call it ({@code probe NAME failed: ...}); null: its position. */
  default String name() {
    return null;
  }
}
