package io.multihome.agent.cni.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.agent.cni.AttachmentPlanner;
import io.multihome.agent.cni.AttachmentRunner;
import io.multihome.agent.cni.CniArgs;
import io.multihome.agent.cni.CniResults;
import io.multihome.agent.cni.ContainerState;
import io.multihome.agent.cni.Delegate;
import io.multihome.agent.cni.PodRef;
import io.multihome.agent.cni.StateStore;
import io.multihome.agent.cni.exec.CniCommand;
import io.multihome.agent.cni.exec.CniException;
import io.multihome.agent.cni.exec.CniInvocation;
import io.multihome.agent.cni.exec.CniVersions;
import io.multihome.agent.cni.exec.NetworkList;
import io.multihome.agent.cni.exec.NetworkListRunner;
import io.multihome.agent.cni.nad.NetworkNotFoundException;
import io.multihome.agent.cni.nad.NetworkSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon side of the {@code multihome-cni} plugin: one CNI request in, one CNI answer out.
 * Reads only the in-memory {@link PodSource}/{@link NetworkSource} on the ADD path and publishes
 * the network-status once.
 */
public final class CniService implements CniHandler {

  private static final Logger LOG = LoggerFactory.getLogger(CniService.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PodSource pods;
  private final AttachmentPlanner planner;
  private final AttachmentRunner runner;
  private final NetworkListRunner listRunner;
  private final StateStore store;
  private final StatusSink statusSink;
  private final List<Path> cniPath;
  private final Duration readinessTimeout;
  private final Map<String, Object> containerLocks = new ConcurrentHashMap<>();
  private final DeletedContainers deleted = new DeletedContainers(4096);
  private volatile PodEvents events = PodEvents.none();

  public CniService(
      PodSource pods,
      AttachmentPlanner planner,
      AttachmentRunner runner,
      NetworkListRunner listRunner,
      StateStore store,
      StatusSink statusSink,
      List<Path> cniPath,
      Duration readinessTimeout) {
    this.pods = pods;
    this.planner = planner;
    this.runner = runner;
    this.listRunner = listRunner;
    this.store = store;
    this.statusSink = statusSink;
    this.cniPath = List.copyOf(cniPath);
    this.readinessTimeout = readinessTimeout;
  }

  /** Where AddedInterface/NoNetworkFound go (none until the cluster wiring sets it). */
  public void setEvents(PodEvents events) {
    this.events = events;
  }

  @Override
  public CniResponse handle(CniRequest request) {
    String version = "1.0.0";
    try {
      PluginConfig config = PluginConfig.parse(request.config());
      version = config.cniVersion();
      String command = request.get("CNI_COMMAND");
      if (command == null) {
        throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_COMMAND is not set");
      }
      CniCommand cmd;
      try {
        cmd = CniCommand.valueOf(command);
      } catch (IllegalArgumentException e) {
        throw new CniException(
            CniException.INVALID_ENVIRONMENT, "CNI_COMMAND \"" + command + "\" is not supported");
      }
      return switch (cmd) {
        case VERSION -> CniResponse.ok(versionJson(version));
        case ADD -> locked(request, () -> add(request, config));
        case DEL -> locked(request, () -> del(request, config));
        case CHECK -> locked(request, () -> check(request, config));
        case STATUS -> status(config);
        case GC -> gc(request, config);
      };
    } catch (CniException e) {
      return CniResponse.error(e.toJson(version).toString());
    } catch (RuntimeException e) {
      LOG.error("CNI request failed unexpectedly", e);
      return CniResponse.error(
          new CniException(999, "internal error: " + e).toJson(version).toString());
    }
  }

  private interface Action {
    CniResponse run() throws CniException;
  }

  // The spec forbids parallel operations on one container; a runtime bug must not corrupt state.
  private CniResponse locked(CniRequest request, Action action) throws CniException {
    String id = required(request, "CNI_CONTAINERID");
    if (!id.matches("[A-Za-z0-9][A-Za-z0-9_.\\-]*")) {
      throw new CniException(
          CniException.INVALID_ENVIRONMENT,
          "CNI_CONTAINERID \""
              + id
              + "\" must start with a letter or digit and contain only"
              + " letters, digits, '_', '.', '-'");
    }
    synchronized (containerLocks.computeIfAbsent(id, k -> new Object())) {
      return action.run();
    }
  }

  private CniResponse add(CniRequest request, PluginConfig config) throws CniException {
    String containerId = required(request, "CNI_CONTAINERID");
    String netns = required(request, "CNI_NETNS");
    String ifname = required(request, "CNI_IFNAME");
    awaitReadiness(config);
    PodRef pod = podRef(request);
    Map<String, String> annotations = Map.of();
    if (pod != null) {
      Optional<PodSource.Pod> found;
      try {
        found = pods.find(pod.namespace(), pod.name());
      } catch (NetworkSource.SourceUnavailableException e) {
        throw new CniException(
            CniException.TRY_AGAIN_LATER, "cannot read pod " + pod + ": " + e.getMessage());
      }
      if (found.isEmpty()) {
        // Multus: a pod gone before its sandbox is set up gets an empty success.
        LOG.info("ADD for {}: pod not found, returning an empty result", pod);
        return CniResponse.ok("{\"cniVersion\":\"" + config.cniVersion() + "\"}");
      }
      String uid = found.get().uid();
      if (pod.uid() != null && uid != null && !pod.uid().equals(uid)) {
        throw new CniException(
            CniException.NETWORK_RESOLUTION,
            "pod " + pod + ": the API has uid " + uid + " (pod re-created?)");
      }
      annotations = found.get().annotations();
      if (pod.uid() == null && uid != null) {
        pod = new PodRef(pod.namespace(), pod.name(), uid); // device allocations are by UID
      }
    } else {
      pod = new PodRef("", "", null);
    }
    var cluster = config.clusterNetwork();
    List<Delegate> delegates;
    try {
      delegates = planner.plan(pod, annotations, ifname, cluster, config.runtimeConfig());
    } catch (NetworkNotFoundException e) {
      if (!pod.name().isEmpty()) {
        events.noNetworkFound(pod, e.getMessage());
      }
      throw e;
    }
    String args = CniArgs.forDelegates(request.get("CNI_ARGS"), pod, containerId);
    deleted.forget(containerId);
    PodRef owner = pod;
    AttachmentRunner.AddOutcome outcome;
    try {
      outcome =
          runner.add(
              ContainerState.planned(containerId, netns, pod, args, delegates),
              failure -> reportDelFailure(owner, failure));
    } catch (CniException e) {
      deleted.remember(containerId); // rolled back: the runtime's DEL has nothing left to do
      throw e;
    }
    if (!pod.name().isEmpty()) {
      try {
        statusSink.publish(pod, outcome.networkStatus());
      } catch (Exception e) {
        var failure =
            new CniException(
                CniException.TRY_AGAIN_LATER, "cannot publish network-status of " + pod + ": " + e);
        try {
          runner.del(outcome.state()).forEach(f -> reportDelFailure(owner, f));
          deleted.remember(containerId);
        } catch (CniException undo) {
          // The state file is kept, so the runtime's DEL finishes the job; report the cause.
          LOG.warn("undo after status failure of {} incomplete: {}", pod, undo.getMessage());
        }
        throw failure;
      }
    }
    if (!pod.name().isEmpty()) {
      emitAddedInterfaces(pod, outcome.state());
    }
    return CniResponse.ok(CniResults.convert(outcome.result(), config.cniVersion()).toString());
  }

  // As Multus: one Normal event per delegate that produced a result.
  private void emitAddedInterfaces(PodRef pod, ContainerState state) {
    for (int i = 0; i < state.delegates().size(); i++) {
      ObjectNode result = state.results().get(i);
      if (result != null) {
        Delegate d = state.delegates().get(i);
        events.addedInterface(pod, d.ifname(), CniResults.allAddresses(result), d.network());
      }
    }
  }

  /**
   * DEL always completes (NPWG §7.2, CNI: DEL tolerates what is missing): every delegate is asked
   * once, failures are reported (log + Warning event) and returned as one error, the state is
   * removed regardless, and a DEL repeated afterwards is a no-op success — before, a delegate whose
   * DEL failed kept the state and failed the same way on every retry, forever.
   */
  private CniResponse del(CniRequest request, PluginConfig config) throws CniException {
    String containerId = required(request, "CNI_CONTAINERID");
    required(request, "CNI_IFNAME");
    if (deleted.contains(containerId)) {
      LOG.debug("DEL {}: already deleted, nothing to do", containerId);
      return CniResponse.ok("");
    }
    Optional<ContainerState> state = readState(containerId);
    if (state.isPresent()) {
      var failures = runner.del(state.get().withNetns(request.get("CNI_NETNS")));
      deleted.remember(containerId);
      containerLocks.remove(containerId);
      failures.forEach(f -> reportDelFailure(state.get().pod(), f));
      if (!failures.isEmpty()) {
        throw AttachmentRunner.aggregate(failures)
            .withContext(
                "DEL of "
                    + containerId
                    + " completed with errors (every attachment was asked, the state is removed;"
                    + " a repeated DEL succeeds)");
      }
      return CniResponse.ok("");
    }
    // No state: recompute from the API if it answers; otherwise succeed so the sandbox is not
    // stuck forever (Multus PR #586) — there is nothing we know how to undo.
    PodRef pod = podRef(request);
    try {
      if (pod != null) {
        var found = pods.find(pod.namespace(), pod.name());
        if (found.isPresent()) {
          var delegates =
              planner.plan(
                  pod,
                  found.get().annotations(),
                  request.get("CNI_IFNAME"),
                  config.clusterNetwork(),
                  config.runtimeConfig());
          String args = CniArgs.forDelegates(request.get("CNI_ARGS"), pod, containerId);
          // Best effort without results: what fails here was probably never added.
          runner
              .del(
                  ContainerState.planned(
                      containerId, request.get("CNI_NETNS"), pod, args, delegates))
              .forEach(f -> reportDelFailure(pod, f));
          deleted.remember(containerId);
          return CniResponse.ok("");
        }
      }
      LOG.warn("DEL {}: no state and no pod; nothing to delete", containerId);
    } catch (RuntimeException | CniException e) {
      LOG.warn(
          "DEL {}: no state and the API did not help ({}); reporting success",
          containerId,
          e.getMessage());
    }
    return CniResponse.ok("");
  }

  private void reportDelFailure(PodRef pod, AttachmentRunner.DelFailure failure) {
    if (pod == null || pod.name().isEmpty()) {
      return;
    }
    events.deleteFailed(
        pod,
        failure.delegate().ifname(),
        failure.delegate().network(),
        failure.error().getMessage());
  }

  private CniResponse check(CniRequest request, PluginConfig config) throws CniException {
    String containerId = required(request, "CNI_CONTAINERID");
    required(request, "CNI_NETNS");
    required(request, "CNI_IFNAME");
    var state =
        readState(containerId)
            .orElseThrow(
                () ->
                    new CniException(
                        CniException.UNKNOWN_CONTAINER,
                        "no attachments recorded for " + containerId));
    runner.check(state);
    return CniResponse.ok("");
  }

  private CniResponse status(PluginConfig config) throws CniException {
    if (config.readinessIndicatorFile() != null && !Files.exists(config.readinessIndicatorFile())) {
      throw new CniException(
          CniException.PLUGIN_NOT_AVAILABLE,
          "readiness indicator " + config.readinessIndicatorFile() + " does not exist");
    }
    // As Multus: STATUS is the cluster network's readiness.
    listRunner.status(
        config.clusterNetwork().config(),
        new CniInvocation(CniCommand.STATUS, null, null, null, null, cniPath));
    return CniResponse.ok("");
  }

  private CniResponse gc(CniRequest request, PluginConfig config) throws CniException {
    Set<String> valid = new HashSet<>();
    for (JsonNode a : config.raw().path("cni.dev/valid-attachments")) {
      valid.add(a.path("containerID").asText());
    }
    List<ContainerState> states;
    try {
      states = store.all();
    } catch (IOException e) {
      throw new CniException(CniException.IO_FAILURE, "cannot read state: " + e);
    }
    // Translate the runtime's list into per-delegate-network attachment lists.
    Map<String, NetworkList> networks = new LinkedHashMap<>();
    Map<String, List<NetworkListRunner.Attachment>> attachments = new LinkedHashMap<>();
    networks.put(config.clusterNetwork().name(), config.clusterNetwork().config());
    attachments.put(config.clusterNetwork().name(), new ArrayList<>());
    for (ContainerState s : states) {
      if (!valid.contains(s.containerId())) {
        continue;
      }
      for (Delegate d : s.delegates()) {
        networks.putIfAbsent(d.network(), d.networkList());
        attachments
            .computeIfAbsent(d.network(), k -> new ArrayList<>())
            .add(new NetworkListRunner.Attachment(s.containerId(), d.ifname()));
      }
    }
    var errors = new ArrayList<String>();
    var invocation = new CniInvocation(CniCommand.GC, null, null, null, null, cniPath);
    for (var e : networks.entrySet()) {
      try {
        listRunner.gc(e.getValue(), invocation, attachments.getOrDefault(e.getKey(), List.of()));
      } catch (CniException ex) {
        errors.add(e.getKey() + ": " + ex.getMessage());
      }
    }
    for (ContainerState s : states) {
      if (!valid.contains(s.containerId())) {
        try {
          store.delete(s.containerId());
        } catch (IOException ex) {
          errors.add("state " + s.containerId() + ": " + ex);
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new CniException(999, "GC: " + String.join(" / ", errors));
    }
    return CniResponse.ok("");
  }

  private void awaitReadiness(PluginConfig config) throws CniException {
    Path indicator = config.readinessIndicatorFile();
    if (indicator == null) {
      return;
    }
    long deadline = System.nanoTime() + readinessTimeout.toNanos();
    while (!Files.exists(indicator)) {
      if (System.nanoTime() > deadline) {
        throw new CniException(
            CniException.TRY_AGAIN_LATER,
            "the cluster network is not ready: readiness indicator "
                + indicator
                + " still missing after "
                + readinessTimeout);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CniException(CniException.TRY_AGAIN_LATER, "interrupted");
      }
    }
  }

  private Optional<ContainerState> readState(String containerId) throws CniException {
    try {
      return store.read(containerId);
    } catch (IOException e) {
      throw new CniException(
          CniException.IO_FAILURE, "cannot read state of " + containerId + ": " + e);
    }
  }

  private static PodRef podRef(CniRequest request) {
    var args = CniArgs.parse(request.get("CNI_ARGS"));
    String ns = args.get("K8S_POD_NAMESPACE");
    String name = args.get("K8S_POD_NAME");
    if (ns == null || name == null || ns.isEmpty() || name.isEmpty()) {
      return null;
    }
    return new PodRef(ns, name, args.get("K8S_POD_UID"));
  }

  private static String required(CniRequest request, String key) throws CniException {
    String value = request.get(key);
    if (value == null) {
      throw new CniException(CniException.INVALID_ENVIRONMENT, key + " is not set");
    }
    return value;
  }

  private static String versionJson(String version) {
    ObjectNode node = JSON.createObjectNode();
    node.put("cniVersion", version);
    var supported = node.putArray("supportedVersions");
    CniVersions.ALL.stream().filter(v -> CniVersions.atLeast(v, "0.3.0")).forEach(supported::add);
    return node.toString();
  }
}
