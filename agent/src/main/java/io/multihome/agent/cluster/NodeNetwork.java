package io.multihome.agent.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * The agent's view of its node's network: the seam between the cluster code and the node state
 * engine ({@code io.multihome.agent.engine.Engine}), bound to it by {@link EngineNodeNetwork}.
 */
public interface NodeNetwork extends AutoCloseable {

  /**
   * Applies {@code desiredState} (nmstate form) with a checkpoint on disk: plan, apply, verify, run
   * {@code probes} (in order; the first failure stops), then commit — or roll back to the
   * checkpoint. Never throws for a failed apply: the outcome says what happened.
   */
  ApplyOutcome apply(ObjectNode desiredState, List<NodeProbe> probes);

  /** The node's current network state in nmstate form (what the NodeNetworkState publishes). */
  ObjectNode currentState();

  /**
   * Rolls back a checkpoint that a previous process left behind (it died mid-apply). Returns what
   * was done, or empty when there was no checkpoint. Called once, before anything else.
   */
  Optional<String> recoverLeftoverCheckpoint();

  /** Calls {@code listener} (from any thread) whenever the kernel reports a network change. */
  AutoCloseable onChange(Runnable listener);

  /**
   * Names of the Linux bridges on the node (the bridge marker's resources). By default read from
   * {@link #currentState()}; implementations with netlink at hand list links instead, which is
   * cheaper.
   */
  default Set<String> linuxBridges() {
    var out = new TreeSet<String>();
    for (var iface : currentState().path("interfaces")) {
      if ("linux-bridge".equals(iface.path("type").asText())) {
        out.add(iface.path("name").asText());
      }
    }
    return out;
  }

  /** Default gateways and DNS resolvers of the node, for probe selection. */
  NodeFacts facts();

  /** Runs {@code task} with sockets opened in the node's network namespace (probes). */
  <T> T inNodeNamespace(Callable<T> task) throws Exception;

  @Override
  void close();
}
