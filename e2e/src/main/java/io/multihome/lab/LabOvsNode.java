package io.multihome.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.agent.cluster.ApplyOutcome;
import io.multihome.agent.cluster.EngineNodeNetwork;
import io.multihome.agent.cluster.NodeFacts;
import io.multihome.agent.cluster.NodeNetwork;
import io.multihome.agent.cluster.NodeProbe;
import io.multihome.agent.engine.EngineHooks;
import io.multihome.agent.engine.Target;
import io.multihome.state.Interface;
import io.multihome.state.StateParser;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Open vSwitch of one lab node: nothing runs until {@link #network} sees a policy that needs it
 * (an ovs-bridge, ovs-interface, ovs-db or ovn part); then the node gets its ovsdb-server and, in
 * its namespace, ovs-vswitchd, for the rest of the lab's life (agent restarts included).
 */
public final class LabOvsNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LabOvsNode.class);

  private final String netns;
  private final Path dir;
  private LabOvs running;
  private boolean closed;

  public LabOvsNode(String netns, Path dir) {
    this.netns = netns;
    this.dir = dir;
  }

  /** Where the node's OVSDB socket is (or will be). */
  public Path socket() {
    return dir.resolve("db.sock");
  }

  /** The running switch, or null before a policy needed one. */
  public synchronized LabOvs running() {
    return running;
  }

  /** Starts the node's Open vSwitch unless it runs; returns it. */
  public synchronized LabOvs start() {
    if (closed) {
      throw new IllegalStateException("the lab node's Open vSwitch was stopped");
    }
    if (running == null) {
      log.info("starting Open vSwitch for {} ({} datapath)", netns, LabOvs.datapath());
      running = LabOvs.start(dir, netns);
    }
    return running;
  }

  /** The engine on the node, its OVSDB socket included, starting OVS when a policy needs it. */
  public NodeNetwork network(Path stateDir) {
    return onDemand(engine(stateDir));
  }

  /** The node's engine-backed network with this node's OVSDB socket (OVS not started). */
  public EngineNodeNetwork engine(Path stateDir) {
    return new EngineNodeNetwork(
        Target.of(netns).withOvsdbSocket(socket()), stateDir, EngineHooks.NONE);
  }

  /** {@code engine}, starting this node's Open vSwitch before the first policy needing it. */
  public NodeNetwork onDemand(NodeNetwork engine) {
    return new OnDemand(this, engine);
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (running != null) {
      running.close();
      running = null;
    }
  }

  /** Whether {@code desiredState} has an Open vSwitch part (read leniently: bad input is not). */
  static boolean needed(ObjectNode desiredState) {
    var s = StateParser.parse(desiredState).state();
    if (s.ovsDb() != null || s.ovn() != null) {
      return true;
    }
    for (var i : s.interfacesOrEmpty()) {
      if (!i.common().isAbsent()
          && (i instanceof Interface.OvsBridge
              || i instanceof Interface.OvsInterface
              || i.common().ovsDb() != null)) {
        return true;
      }
    }
    return false;
  }

  /** A node network that starts the node's Open vSwitch before the first policy needing it. */
  private record OnDemand(LabOvsNode node, NodeNetwork engine) implements NodeNetwork {
    @Override
    public ApplyOutcome apply(ObjectNode desiredState, List<NodeProbe> probes) {
      if (needed(desiredState)) {
        try {
          node.start();
        } catch (RuntimeException e) {
          return new ApplyOutcome.Rejected(
              "the lab could not start Open vSwitch: " + e.getMessage());
        }
      }
      return engine.apply(desiredState, probes);
    }

    @Override
    public ObjectNode currentState() {
      return engine.currentState();
    }

    @Override
    public Optional<String> recoverLeftoverCheckpoint() {
      return engine.recoverLeftoverCheckpoint();
    }

    @Override
    public AutoCloseable onChange(Runnable listener) {
      return engine.onChange(listener);
    }

    @Override
    public NodeFacts facts() {
      return engine.facts();
    }

    @Override
    public <T> T inNodeNamespace(Callable<T> task) throws Exception {
      return engine.inNodeNamespace(task);
    }

    @Override
    public void close() {
      engine.close();
    }
  }
}
