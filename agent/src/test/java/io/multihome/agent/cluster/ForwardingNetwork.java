package io.multihome.agent.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Delegates everything; tests override one method to observe it. */
class ForwardingNetwork implements NodeNetwork {
  private final NodeNetwork delegate;

  ForwardingNetwork(NodeNetwork delegate) {
    this.delegate = delegate;
  }

  @Override
  public ApplyOutcome apply(ObjectNode desiredState, List<NodeProbe> probes) {
    return delegate.apply(desiredState, probes);
  }

  @Override
  public ObjectNode currentState() {
    return delegate.currentState();
  }

  @Override
  public Optional<String> recoverLeftoverCheckpoint() {
    return delegate.recoverLeftoverCheckpoint();
  }

  @Override
  public AutoCloseable onChange(Runnable listener) {
    return delegate.onChange(listener);
  }

  @Override
  public NodeFacts facts() {
    return delegate.facts();
  }

  @Override
  public <T> T inNodeNamespace(Callable<T> task) throws Exception {
    return delegate.inNodeNamespace(task);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
