package io.multihome.agent.sriov;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.multihome.agent.kube.ReadProblemEvents;
import io.multihome.api.read.ReadReport;
import io.multihome.api.sriov.InterfaceExt;
import io.multihome.api.sriov.SriovInterface;
import io.multihome.api.sriov.SriovNetworkNodeState;
import io.multihome.api.sriov.SriovNetworkNodeStateSpec;
import io.multihome.api.sriov.SyncStatus;
import io.multihome.sriov.sysfs.ApplyResult;
import io.multihome.sriov.sysfs.ConfiguredPfStore;
import io.multihome.sriov.sysfs.InterfaceStatusMapper;
import io.multihome.sriov.sysfs.SriovProvisioner;
import io.multihome.sriov.sysfs.SriovSysfsOps;
import io.multihome.sriov.sysfs.VfLinkConfigurator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent's SR-IOV half. It watches its own {@code SriovNetworkNodeState} (named after the
 * node), applies a changed spec with {@link SriovProvisioner} and reports the node in the status:
 * {@code interfaces} from sysfs plus netlink, {@code syncStatus} and {@code lastSyncError}.
 *
 * <p>Every apply goes {@code InProgress} → {@code Succeeded} or {@code Failed}: the provisioner's
 * result is terminal, and an exception escaping it becomes {@code Failed} with the exception as
 * {@code lastSyncError}. If the final status write itself fails (API server away), the periodic
 * refresh writes it again, so a node never stays {@code InProgress} because of us (upstream's
 * daemon returns the error to its work queue and leaves the node {@code InProgress}).
 *
 * <p>All work runs on one thread, so an apply and a refresh never interleave. A spec is applied
 * when it differs from the last one applied (and once at start, since provisioning is idempotent);
 * a failed spec is not retried until it changes or the agent restarts, so a broken NIC is not reset
 * and re-created every minute.
 */
public final class SriovAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SriovAgent.class);

  private final KubernetesClient client;
  private final String nodeName;
  private final SriovAgentConfig config;
  private final SriovSysfsOps ops;
  private final SriovProvisioner provisioner;
  private final LinkInfoSource linkInfo;
  private final NodeStateStatusWriter writer;
  private final List<AutoCloseable> owned = new ArrayList<>();
  private final ScheduledExecutorService loop;
  private final ReadProblemEvents events;
  private SharedIndexInformer<SriovNetworkNodeState> informer;

  // Touched on the loop thread only.
  private boolean applied;
  private SriovNetworkNodeStateSpec appliedSpec;
  private SyncStatus syncStatus;
  private String lastSyncError;

  private SriovAgent(KubernetesClient client, String nodeName, SriovAgentConfig config) {
    this.client = client;
    this.nodeName = nodeName;
    this.config = config;
    this.ops = new SriovSysfsOps(config.sysfs(), config.timeouts());
    owned.add(ops);
    VfLinkConfigurator links = config.vfLinkConfigurator();
    if (links == null) {
      var netlink = NetlinkVfConfigurator.open(config.netns());
      owned.add(netlink);
      links = netlink;
    }
    LinkInfoSource info = config.linkInfo();
    if (info == null) {
      var netlink = NetlinkLinkInfo.open(config.netns());
      owned.add(netlink);
      info = netlink;
    }
    this.linkInfo = info;
    this.provisioner = new SriovProvisioner(ops, links, new ConfiguredPfStore(config.pfStoreDir()));
    this.writer = new NodeStateStatusWriter(client, config.operatorNamespace(), nodeName);
    this.events = new ReadProblemEvents(client, "multihome-sriov-agent", nodeName);
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sriov-agent-" + nodeName);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts watching {@code <operatorNamespace>/<nodeName>} and refreshing every {@code
   * config.resyncInterval()}; close the result to stop. Nothing is written until the controller has
   * created the node state.
   */
  public static SriovAgent start(
      KubernetesClient client, String nodeName, SriovAgentConfig config) {
    if (nodeName == null || nodeName.isBlank()) {
      throw new IllegalArgumentException("nodeName: required");
    }
    var agent = new SriovAgent(client, nodeName, config);
    try {
      agent.startWatching();
    } catch (RuntimeException e) {
      agent.close();
      throw e;
    }
    return agent;
  }

  private void startWatching() {
    informer =
        client
            .resources(SriovNetworkNodeState.class)
            .inNamespace(config.operatorNamespace())
            .withName(nodeName)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(SriovNetworkNodeState state) {
                    submit(() -> onState(state));
                  }

                  @Override
                  public void onUpdate(SriovNetworkNodeState old, SriovNetworkNodeState state) {
                    submit(() -> onState(state));
                  }

                  @Override
                  public void onDelete(SriovNetworkNodeState state, boolean unknownFinalState) {
                    // A recreated state gets its spec applied again.
                    submit(() -> applied = false);
                  }
                },
                0);
    long every = config.resyncInterval().toMillis();
    loop.scheduleWithFixedDelay(() -> guarded(this::refresh), every, every, TimeUnit.MILLISECONDS);
  }

  private void submit(Runnable task) {
    if (!loop.isShutdown()) {
      loop.execute(() -> guarded(task));
    }
  }

  /** A task that throws would cancel the periodic refresh for good: log it instead. */
  private void guarded(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.error("sriov agent {}: {}", nodeName, e.toString(), e);
    }
  }

  private void onState(SriovNetworkNodeState state) {
    if (unreadable(state)) {
      return;
    }
    if (!applied || !Objects.equals(state.getSpec(), appliedSpec)) {
      apply(state.getSpec());
    }
  }

  /** Periodic: apply a spec we missed, else rediscover and write the status if it changed. */
  private void refresh() {
    SriovNetworkNodeState state =
        informer.getStore().getByKey(config.operatorNamespace() + "/" + nodeName);
    if (state == null) {
      return;
    }
    if (unreadable(state)) {
      publish();
    } else if (!applied || !Objects.equals(state.getSpec(), appliedSpec)) {
      apply(state.getSpec());
    } else {
      publish();
    }
  }

  /**
   * A spec with fields that cannot be read (edited by hand, or written by something that is not our
   * controller) is not applied at all: Failed with the field paths as lastSyncError, and a Warning
   * event. The next readable spec is applied whatever was applied before.
   */
  private boolean unreadable(SriovNetworkNodeState state) {
    var problems = ReadReport.of(state).problemsUnder("spec");
    if (problems.isEmpty()) {
      return false;
    }
    var message =
        "cannot read the spec: " + ReadReport.describe(problems) + "; nothing was changed";
    applied = false;
    if (syncStatus != SyncStatus.FAILED || !message.equals(lastSyncError)) {
      syncStatus = SyncStatus.FAILED;
      lastSyncError = message;
      LOG.warn("sriov agent {}: {}", nodeName, message);
      publishBestEffort();
    }
    events.report(state, problems, "its spec is not applied until it is fixed");
    return true;
  }

  private void apply(SriovNetworkNodeStateSpec spec) {
    applied = true;
    appliedSpec = spec == null ? null : client.getKubernetesSerialization().clone(spec);
    syncStatus = SyncStatus.IN_PROGRESS;
    ApplyResult result;
    try {
      publishBestEffort();
      result = provisioner.apply(spec);
    } catch (RuntimeException | LinkageError | AssertionError e) {
      LOG.error("sriov agent {}: apply failed unexpectedly", nodeName, e);
      result =
          new ApplyResult.Failed(
              "unexpected error while applying: "
                  + e.getClass().getSimpleName()
                  + ": "
                  + e.getMessage(),
              List.of());
    }
    syncStatus = result.syncStatus();
    lastSyncError = result.lastSyncError();
    LOG.info(
        "sriov agent {}: {} {}{}",
        nodeName,
        syncStatus,
        result.changes(),
        lastSyncError.isEmpty() ? "" : ": " + lastSyncError);
    publishBestEffort();
  }

  private void publishBestEffort() {
    try {
      publish();
    } catch (RuntimeException e) {
      // The next refresh writes it; the sync outcome is kept in memory until then.
      LOG.warn("sriov agent {}: status not written: {}", nodeName, e.toString());
    }
  }

  private void publish() {
    List<InterfaceExt> interfaces = discover();
    var outcome =
        writer.update(
            status -> {
              status.setInterfaces(interfaces);
              if (syncStatus != null) {
                status.setSyncStatus(syncStatus);
              }
              if (lastSyncError != null) {
                status.setLastSyncError(lastSyncError);
              }
              return status;
            });
    LOG.debug("sriov agent {}: status {}", nodeName, outcome);
  }

  private List<InterfaceExt> discover() {
    Set<String> externallyManaged =
        appliedSpec == null || appliedSpec.getInterfaces() == null
            ? Set.of()
            : appliedSpec.getInterfaces().stream()
                .filter(i -> Boolean.TRUE.equals(i.getExternallyManaged()))
                .map(SriovInterface::getPciAddress)
                .collect(Collectors.toSet());
    var interfaces =
        new ArrayList<>(
            InterfaceStatusMapper.toStatus(ops.discovery().discover(), externallyManaged));
    Map<String, LinkDetails> links;
    try {
      links = linkInfo.snapshot();
    } catch (RuntimeException e) {
      LOG.warn(
          "sriov agent {}: no netlink details (altnames, VF VLANs): {}", nodeName, e.toString());
      links = Map.of();
    }
    return StatusEnricher.enrich(interfaces, links);
  }

  public String nodeName() {
    return nodeName;
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    loop.shutdownNow();
    try {
      if (!loop.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("sriov agent {}: still applying after 30 s, closing anyway", nodeName);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("sriov agent {}: closing {}: {}", nodeName, c, e.toString());
      }
    }
  }
}
