package io.multihome.agent.cni;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.agent.cni.device.NodeDevice;
import io.multihome.agent.cni.device.NodeDeviceKeeper;
import io.multihome.agent.cni.exec.CniCommand;
import io.multihome.agent.cni.exec.CniException;
import io.multihome.agent.cni.exec.CniInvocation;
import io.multihome.agent.cni.exec.NetworkList;
import io.multihome.agent.cni.exec.NetworkListRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a planned delegate list for one sandbox: ADD sequentially with rollback, DEL of everything
 * in reverse, CHECK. The state file is written before the first delegate runs and again, with the
 * results, before ADD returns, so a DEL — even after an agent crash mid-ADD, even with the API down
 * — knows what to undo and, after a successful ADD, has the results plugins get as prevResult.
 */
public final class AttachmentRunner {

  private static final Logger LOG = LoggerFactory.getLogger(AttachmentRunner.class);

  private final NetworkListRunner runner;
  private final StateStore store;
  private final PodNetns podNetns;
  private final List<Path> cniPath;
  private final DeviceInfoFiles deviceInfo;
  private final NodeDeviceKeeper nodeDevices;

  public AttachmentRunner(
      NetworkListRunner runner, StateStore store, PodNetns podNetns, List<Path> cniPath) {
    this(runner, store, podNetns, cniPath, null);
  }

  /**
   * @param deviceInfo device-info files (NPWG device-info spec); null: none, network-status
   *     device-info then comes from the results and device IDs only
   */
  public AttachmentRunner(
      NetworkListRunner runner,
      StateStore store,
      PodNetns podNetns,
      List<Path> cniPath,
      DeviceInfoFiles deviceInfo) {
    this(runner, store, podNetns, cniPath, deviceInfo, null);
  }

  /**
   * @param nodeDevices records the node devices attachments take (host-device, sriov) before ADD
   *     and gives them back as they were after DEL or a failed ADD; null: none (only where no
   *     plugin moves node devices — it must never look at a namespace that is not the node's)
   */
  public AttachmentRunner(
      NetworkListRunner runner,
      StateStore store,
      PodNetns podNetns,
      List<Path> cniPath,
      DeviceInfoFiles deviceInfo,
      NodeDeviceKeeper nodeDevices) {
    this.runner = runner;
    this.store = store;
    this.podNetns = podNetns;
    this.cniPath = List.copyOf(cniPath);
    this.deviceInfo = deviceInfo;
    this.nodeDevices = nodeDevices;
  }

  /** What an ADD produced. */
  public record AddOutcome(ObjectNode result, ContainerState state, String networkStatus) {}

  /** A delegate whose DEL failed; every other delegate was still asked. */
  public record DelFailure(Delegate delegate, CniException error) {}

  public AddOutcome add(ContainerState planned) throws CniException {
    return add(planned, failure -> {});
  }

  /**
   * @param rollbackFailures told about each delegate whose DEL failed while a failed ADD was undone
   *     (the state is removed anyway: every delegate has been asked)
   */
  public AddOutcome add(ContainerState planned, Consumer<DelFailure> rollbackFailures)
      throws CniException {
    ContainerState state = deviceInfo == null ? planned : deviceInfo.prepare(planned);
    requireFreeInterfaceNames(state);
    if (nodeDevices != null) {
      state = state.withNodeDevices(nodeDevices.snapshot(state.delegates()));
    }
    save(state);
    for (int i = 0; i < state.delegates().size(); i++) {
      Delegate delegate = state.delegates().get(i);
      try {
        ObjectNode result =
            runner.add(delegate.networkList(), invocation(state, delegate), delegate.runtimeArgs());
        if (result == null) {
          throw new CniException(
              CniException.DECODE_FAILURE, "the plugin chain returned no result");
        }
        state = state.withResult(i, result);
        ResultVerifier.verify(delegate, result);
      } catch (CniException e) {
        rollback(state, i, rollbackFailures);
        throw e.withContext(
            "["
                + state.pod()
                + ":"
                + delegate.network()
                + "]: error adding container to network \""
                + delegate.network()
                + "\" ("
                + delegate.ifname()
                + ")");
      }
    }
    try {
      state = applyDefaultRoute(state);
    } catch (CniException e) {
      rollback(state, state.delegates().size() - 1, rollbackFailures);
      throw e.withContext("[" + state.pod() + "]: default-route");
    }
    // The results, for the plugins' DEL (prevResult), are saved once, before the runtime hears of
    // success. Each save is an fsync (~10 ms on a busy disk); an agent crash mid-ADD only loses the
    // results of this attempt, and DEL without prevResult still works for every plugin here.
    try {
      save(state);
    } catch (CniException e) {
      rollback(state, state.delegates().size() - 1, rollbackFailures);
      throw e;
    }
    String status =
        NetworkStatusBuilder.build(
            state.delegates(),
            state.results(),
            deviceInfo == null ? List.of() : deviceInfo.readAll(state));
    return new AddOutcome(state.results().get(0), state, status);
  }

  /**
   * DEL of every delegate in reverse order; each is asked once whatever the others did, and the
   * state file is removed afterwards even when some failed. A failed DEL is reported (returned),
   * not retried: a plugin that refuses DEL (its config became invalid, a resource it cannot find)
   * refuses it the same way every time, and keeping the state made the runtime retry forever.
   *
   * @return the delegates whose DEL failed, in the order they were asked
   * @throws CniException only when the state file cannot be removed
   */
  public List<DelFailure> del(ContainerState state) throws CniException {
    var failures = delFrom(state, state.delegates().size() - 1);
    try {
      store.delete(state.containerId());
    } catch (IOException e) {
      throw new CniException(CniException.IO_FAILURE, "cannot remove state: " + e);
    }
    return failures;
  }

  /** One error naming every failed delegate (the first one's code). */
  public static CniException aggregate(List<DelFailure> failures) {
    if (failures.size() == 1) {
      return failures.get(0).error();
    }
    var message = new StringBuilder("errors:");
    failures.forEach(f -> message.append(' ').append(f.error().getMessage()).append(" /"));
    message.setLength(message.length() - 2);
    return new CniException(failures.get(0).error().code(), message.toString());
  }

  public void check(ContainerState state) throws CniException {
    for (int i = 0; i < state.delegates().size(); i++) {
      Delegate delegate = state.delegates().get(i);
      try {
        runner.check(
            delegate.networkList(),
            invocation(state, delegate).withCommand(CniCommand.CHECK),
            delegate.runtimeArgs(),
            state.results().get(i));
      } catch (CniException e) {
        throw e.withContext("network " + delegate.network() + " (" + delegate.ifname() + ")");
      }
    }
  }

  /**
   * All names are checked once, before anything runs: a rollback DEL of a delegate would delete
   * whatever interface holds its name, even one we did not create. No other operation may run for
   * this container meanwhile (CNI spec), so one listing is enough.
   */
  private void requireFreeInterfaceNames(ContainerState state) throws CniException {
    var present = podNetns.linkNames(state.netns());
    for (Delegate delegate : state.delegates()) {
      if (present.contains(delegate.ifname())) {
        throw new CniException(
            CniException.INVALID_CONFIG,
            "["
                + state.pod()
                + ":"
                + delegate.network()
                + "]: cannot add interface "
                + delegate.ifname()
                + ": it already exists in "
                + state.netns());
      }
    }
  }

  private void rollback(ContainerState state, int lastIndex, Consumer<DelFailure> failures) {
    // The failed delegate is included: it may have half-created things (IPAM lease, veth).
    var failed = delFrom(state, lastIndex);
    failed.forEach(failures);
    try {
      store.delete(state.containerId());
    } catch (IOException e) {
      LOG.warn("cannot remove state of {} after rollback: {}", state.containerId(), e.toString());
    }
  }

  private List<DelFailure> delFrom(ContainerState state, int lastIndex) {
    var failures = new ArrayList<DelFailure>();
    for (int i = lastIndex; i >= 0; i--) {
      Delegate delegate = state.delegates().get(i);
      CniException error = null;
      try {
        NetworkList list = delegate.networkList();
        runner.del(
            list,
            invocation(state, delegate).withCommand(CniCommand.DEL),
            delegate.runtimeArgs(),
            state.results().get(i));
        if (deviceInfo != null) {
          deviceInfo.delete(state.containerId(), delegate);
        }
      } catch (CniException e) {
        error = e;
      }
      try {
        giveBackNodeDevice(state, i); // also, and above all, when the plugin's DEL failed
      } catch (CniException restore) {
        error =
            error == null
                ? restore
                : new CniException(
                    error.code(),
                    error.getMessage() + "; " + restore.getMessage(),
                    error.details());
      }
      if (error != null) {
        var failure =
            new DelFailure(
                delegate,
                error.withContext(
                    "network " + delegate.network() + " (" + delegate.ifname() + ")"));
        LOG.warn(
            "DEL of {} for {} failed, going on with the others: {}",
            delegate.ifname(),
            state.pod(),
            failure.error().getMessage());
        failures.add(failure);
      }
    }
    return failures;
  }

  private void giveBackNodeDevice(ContainerState state, int index) throws CniException {
    NodeDevice device = state.nodeDevices().get(index);
    if (nodeDevices != null && device != null) {
      nodeDevices.restore(device, state.netns(), state.delegates().get(index).ifname());
    }
  }

  private ContainerState applyDefaultRoute(ContainerState state) throws CniException {
    for (int i = 0; i < state.delegates().size(); i++) {
      Delegate chosen = state.delegates().get(i);
      if (!chosen.ownsDefaultRoute()) {
        continue;
      }
      if (chosen.defaultRoute().isEmpty()) {
        state = keepOnlyOwnDefaultRoutes(state, i);
        continue;
      }
      for (String gateway : chosen.defaultRoute()) {
        boolean v6 = gateway.contains(":");
        podNetns.replaceDefaultRoute(state.netns(), gateway, chosen.ifname());
        for (int j = 0; j < state.results().size(); j++) {
          ObjectNode result = state.results().get(j);
          if (result != null) {
            result = result.deepCopy();
            CniResults.removeDefaultRoutes(result, v6);
            if (j == i) {
              CniResults.addDefaultRoute(result, gateway);
            }
            state = state.withResult(j, result);
          }
        }
      }
    }
    return state;
  }

  /**
   * {@code "default-route": []} (NPWG v1.3: "This list may be empty"): the chosen attachment keeps
   * the default routes its own plugins set; every other attachment, the cluster network included,
   * loses its own — in the pod and in its result — so the pod's default route is the chosen one.
   */
  private ContainerState keepOnlyOwnDefaultRoutes(ContainerState state, int chosen)
      throws CniException {
    for (int j = 0; j < state.delegates().size(); j++) {
      ObjectNode result = state.results().get(j);
      if (j == chosen || result == null) {
        continue;
      }
      podNetns.removeDefaultRoutes(state.netns(), state.delegates().get(j).ifname());
      result = result.deepCopy();
      CniResults.removeDefaultRoutes(result, false);
      CniResults.removeDefaultRoutes(result, true);
      state = state.withResult(j, result);
    }
    return state;
  }

  private CniInvocation invocation(ContainerState state, Delegate delegate) {
    return new CniInvocation(
        CniCommand.ADD,
        state.containerId(),
        state.netns(),
        delegate.ifname(),
        state.cniArgs(),
        cniPath);
  }

  private void save(ContainerState state) throws CniException {
    try {
      store.write(state);
    } catch (IOException e) {
      throw new CniException(CniException.IO_FAILURE, "cannot write container state: " + e);
    }
  }
}
