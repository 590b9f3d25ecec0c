package io.multihome.agent.cluster;

/**
 * A connectivity check run before a change (to select it) and after it (to keep it). Shaped like
 * the engine's {@code Probe}: null when healthy, else why not.
 */
public interface NodeProbe {
  /** Short stable name, used in messages and as a metric tag, e.g. {@code gateway-ping}. */
  String name();

  /** What is checked, e.g. {@code ping 198.18.0.1}. */
  String target();

  /** Null when healthy, else a short reason. Exceptions count as failures. */
  String check() throws Exception;
}
