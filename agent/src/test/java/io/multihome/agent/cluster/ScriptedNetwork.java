package io.multihome.agent.cluster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A fake node for failure paths: an in-memory nmstate state. By default an apply adds the desired
 * interfaces, runs the probes and keeps the change or restores the previous state; {@link #script}
 * replaces an attempt's result (kernel error, rejection) without touching the state.
 */
final class ScriptedNetwork implements NodeNetwork {
  final List<String> applied = new CopyOnWriteArrayList<>();
  final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  final AtomicInteger concurrent = new AtomicInteger();
  volatile boolean overlapped;
  volatile String leftover;
  volatile List<String> events = new CopyOnWriteArrayList<>();
  private final List<Function<ObjectNode, ApplyOutcome>> script = new CopyOnWriteArrayList<>();
  private volatile ObjectNode state = Cluster.JSON.createObjectNode();

  ScriptedNetwork() {
    state.putArray("interfaces").addObject().put("name", "eth0").put("type", "ethernet");
  }

  /** The next attempts' results, in order; after them applies succeed. */
  ScriptedNetwork script(Function<ObjectNode, ApplyOutcome> outcome) {
    script.add(outcome);
    return this;
  }

  List<String> interfaceNames() {
    var out = new ArrayList<String>();
    state.path("interfaces").forEach(i -> out.add(i.path("name").asText()));
    return out;
  }

  /** An out-of-band change, as if someone ran ip link add. */
  void addOutOfBand(String name, String type) {
    var next = state.deepCopy();
    ((ArrayNode) next.get("interfaces")).addObject().put("name", name).put("type", type);
    state = next;
    listeners.forEach(Runnable::run);
  }

  /** An out-of-band removal, as if someone ran ip link del. */
  void removeOutOfBand(String name) {
    var next = state.deepCopy();
    var kept = Cluster.JSON.createArrayNode();
    next.get("interfaces")
        .forEach(
            i -> {
              if (!name.equals(i.path("name").asText())) {
                kept.add(i);
              }
            });
    next.set("interfaces", kept);
    state = next;
    listeners.forEach(Runnable::run);
  }

  @Override
  public ApplyOutcome apply(ObjectNode desiredState, List<NodeProbe> probes) {
    if (concurrent.incrementAndGet() > 1) {
      overlapped = true;
    }
    try {
      applied.add(desiredState.path("interfaces").path(0).path("name").asText());
      if (!script.isEmpty()) {
        return script.remove(0).apply(desiredState);
      }
      var before = state;
      var next = before.deepCopy();
      var changes = new ArrayList<String>();
      for (var i : desiredState.path("interfaces")) {
        ((ArrayNode) next.get("interfaces")).add(i.deepCopy());
        changes.add("create " + i.path("type").asText() + " " + i.path("name").asText());
      }
      state = next;
      listeners.forEach(Runnable::run);
      for (var p : probes) {
        String why;
        try {
          why = p.check();
        } catch (Exception e) {
          why = e.toString();
        }
        if (why != null) {
          state = before;
          listeners.forEach(Runnable::run);
          return new ApplyOutcome.RolledBack("probe " + p.name() + " failed: " + why, changes);
        }
      }
      return new ApplyOutcome.Applied(changes);
    } finally {
      concurrent.decrementAndGet();
    }
  }

  @Override
  public ObjectNode currentState() {
    return state.deepCopy();
  }

  @Override
  public Optional<String> recoverLeftoverCheckpoint() {
    events.add("recover");
    var l = leftover;
    leftover = null;
    return Optional.ofNullable(l);
  }

  @Override
  public AutoCloseable onChange(Runnable listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @Override
  public NodeFacts facts() {
    return new NodeFacts(List.of(), List.of());
  }

  @Override
  public <T> T inNodeNamespace(Callable<T> task) throws Exception {
    return task.call();
  }

  @Override
  public void close() {}
}
