package io.multihome.agent.cni.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.multihome.agent.cni.DeviceInfoFiles;
import io.multihome.agent.cni.daemon.CniDaemon;
import io.multihome.agent.cni.dhcp.DhcpDaemonSupervisor;
import io.multihome.agent.cni.ipam.IpamDaemon;
import io.multihome.agent.cni.nodeconfig.NodeCniConfigWatcher;
import io.multihome.agent.cni.nodeconfig.NodeCniConfigWriter;
import io.multihome.agent.cni.sriov.KubeletCheckpointDeviceIds;
import io.multihome.agent.cni.sriov.VfControl;
import io.multihome.sriov.sysfs.Sysfs;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attachment daemon wired to the cluster — what the node agent starts: NAD and node-pod
 * informers behind the daemon's sources, the network-status writer, pod Events, device-plugin
 * allocations from the kubelet checkpoint, and the conf-dir watch that keeps {@code
 * 00-multihome.conflist} in step with the node's primary CNI config.
 *
 * <pre>{@code
 * try (var cni = CniCluster.start(client, nodeName, CniDaemon.Settings.defaults())) { ... }
 * }</pre>
 */
public final class CniCluster implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CniCluster.class);

  /**
   * @param nadNamespaces namespaces whose NADs are served; empty = all (needs cluster-wide
   *     list/watch)
   * @param podWait how long ADD waits for a pod the watch has not delivered before one direct GET
   * @param kubeletCheckpoint device-plugin checkpoint (resourceName → deviceID)
   * @param sysfsRoot where the sriov attachment looks up VFs
   * @param runtimeConfDir the runtime's CNI conf dir to write {@code 00-multihome.conflist} into;
   *     null = do not manage it
   * @param primaryConfig the primary config to wrap, or null for the lexically first one
   * @param readinessIndicator or null
   * @param dhcpSocket run and supervise the reference dhcp plugin's daemon on this socket (in the
   *     plugins' namespace), so {@code "ipam": {"type": "dhcp"}} works; null = none
   * @param ipam the whereabouts-compatible IPAM's settings (pool namespace, flat files); null = its
   *     defaults
   */
  public record Options(
      List<String> nadNamespaces,
      Duration podWait,
      Path kubeletCheckpoint,
      Path sysfsRoot,
      Path runtimeConfDir,
      Path primaryConfig,
      Path readinessIndicator,
      Duration confResync,
      Path dhcpSocket,
      IpamDaemon.Options ipam) {

    public Options {
      nadNamespaces = List.copyOf(nadNamespaces);
      ipam = ipam == null ? IpamDaemon.Options.defaults() : ipam;
    }

    public static Options defaults() {
      return new Options(
          List.of(),
          Duration.ofSeconds(3),
          KubeletCheckpointDeviceIds.DEFAULT_PATH,
          Sysfs.DEFAULT_ROOT,
          Path.of("/etc/cni/net.d"),
          null,
          null,
          Duration.ofSeconds(30),
          DhcpDaemonSupervisor.DEFAULT_SOCKET,
          IpamDaemon.Options.defaults());
    }
  }

  private final InformerNetworkSource nads;
  private final InformerPodSource pods;
  private final KubernetesPodEvents events;
  private final CniDaemon daemon;
  private final IpamDaemon ipam;
  private final NodeCniConfigWatcher confWatch;
  private final DhcpDaemonSupervisor dhcp;

  private CniCluster(
      InformerNetworkSource nads,
      InformerPodSource pods,
      KubernetesPodEvents events,
      CniDaemon daemon,
      IpamDaemon ipam,
      NodeCniConfigWatcher confWatch,
      DhcpDaemonSupervisor dhcp) {
    this.nads = nads;
    this.pods = pods;
    this.events = events;
    this.daemon = daemon;
    this.ipam = ipam;
    this.confWatch = confWatch;
    this.dhcp = dhcp;
  }

  public static CniCluster start(
      KubernetesClient client, String nodeName, CniDaemon.Settings settings) throws IOException {
    return start(client, nodeName, settings, Options.defaults());
  }

  /** Starts informers (asynchronously: requests before the first list are answered "retry"). */
  public static CniCluster start(
      KubernetesClient client, String nodeName, CniDaemon.Settings settings, Options options)
      throws IOException {
    return start(client, nodeName, settings, options, (VfControl) null);
  }

  /**
   * As {@link #start(KubernetesClient, String, CniDaemon.Settings, Options)}, with the sriov
   * attachment's VF attribute setter: the lab's emulated NICs (macvlans, no VF table) pass a
   * recording one; null = netlink through the PF.
   */
  public static CniCluster start(
      KubernetesClient client,
      String nodeName,
      CniDaemon.Settings settings,
      Options options,
      VfControl vfControl)
      throws IOException {
    return start(
        client,
        nodeName,
        settings,
        options,
        c -> InformerPodSource.start(c, nodeName, options.podWait()),
        vfControl);
  }

  static CniCluster start(
      KubernetesClient client,
      String nodeName,
      CniDaemon.Settings settings,
      Options options,
      java.util.function.Function<KubernetesClient, InformerPodSource> podSource)
      throws IOException {
    return start(client, nodeName, settings, options, podSource, null);
  }

  private static CniCluster start(
      KubernetesClient client,
      String nodeName,
      CniDaemon.Settings settings,
      Options options,
      java.util.function.Function<KubernetesClient, InformerPodSource> podSource,
      VfControl vfControl)
      throws IOException {
    InformerNetworkSource nads = null;
    InformerPodSource pods = null;
    KubernetesPodEvents events = null;
    CniDaemon daemon = null;
    DhcpDaemonSupervisor dhcp = null;
    IpamDaemon ipam = null;
    try {
      dhcp = startDhcpDaemon(settings, options);
      nads = InformerNetworkSource.start(client, options.nadNamespaces());
      pods = podSource.apply(client);
      events = new KubernetesPodEvents(client, nodeName);
      var extras =
          new CniDaemon.Extras(
              events,
              new KubeletCheckpointDeviceIds(options.kubeletCheckpoint()),
              options.sysfsRoot(),
              vfControl,
              DeviceInfoFiles.DEFAULT_ROOT,
              dhcp == null ? null : dhcp.socket());
      daemon = CniDaemon.start(settings, nads, pods, new PodStatusWriter(client), extras);
      // whereabouts-compatible IPAM (docs/ipam.md) on its own socket beside the daemon's.
      ipam = IpamDaemon.start(client, settings.ipamSocket(), options.ipam());
      NodeCniConfigWatcher watch = null;
      if (options.runtimeConfDir() != null) {
        watch =
            NodeCniConfigWatcher.start(
                new NodeCniConfigWriter(
                    options.runtimeConfDir(),
                    options.primaryConfig(),
                    options.readinessIndicator()),
                options.runtimeConfDir(),
                options.readinessIndicator(),
                options.confResync());
      }
      return new CniCluster(nads, pods, events, daemon, ipam, watch, dhcp);
    } catch (IOException | RuntimeException e) {
      closeQuietly(ipam, daemon, events, pods, nads, dhcp);
      throw e;
    }
  }

  private static DhcpDaemonSupervisor startDhcpDaemon(
      CniDaemon.Settings settings, Options options) {
    if (options.dhcpSocket() == null) {
      return null;
    }
    var dhcp = DhcpDaemonSupervisor.Settings.defaults(settings.cniPath());
    if (dhcp.isEmpty()) {
      LOG.warn(
          "no dhcp plugin in {}: attachments with \"ipam\": {{\"type\": \"dhcp\"}} will fail",
          settings.cniPath());
      return null;
    }
    return DhcpDaemonSupervisor.start(
        dhcp.get().withSocket(options.dhcpSocket()).withNetns(settings.nodeNetns()));
  }

  /** The node's DHCP daemon supervisor, or null when none runs. */
  public DhcpDaemonSupervisor dhcpDaemon() {
    return dhcp;
  }

  public CniDaemon daemon() {
    return daemon;
  }

  /** The whereabouts-compatible IPAM served on {@link CniDaemon.Settings#ipamSocket()}. */
  public IpamDaemon ipam() {
    return ipam;
  }

  public InformerPodSource pods() {
    return pods;
  }

  public InformerNetworkSource nads() {
    return nads;
  }

  /** True once both caches hold their first list. */
  public boolean hasSynced() {
    return nads.hasSynced() && pods.hasSynced();
  }

  @Override
  public void close() {
    closeQuietly(confWatch, ipam, daemon, events, pods, nads, dhcp);
  }

  private static void closeQuietly(AutoCloseable... closeables) {
    for (AutoCloseable c : closeables) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
          }
        }
      }
    }
  }
}
