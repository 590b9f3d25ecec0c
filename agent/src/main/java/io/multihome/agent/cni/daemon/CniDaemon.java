package io.multihome.agent.cni.daemon;

import io.multihome.agent.cni.AttachmentPlanner;
import io.multihome.agent.cni.AttachmentRunner;
import io.multihome.agent.cni.DeviceIdSource;
import io.multihome.agent.cni.DeviceInfoFiles;
import io.multihome.agent.cni.NetlinkPodNetns;
import io.multihome.agent.cni.StateStore;
import io.multihome.agent.cni.device.NodeDeviceKeeper;
import io.multihome.agent.cni.dhcp.DhcpSocketInjector;
import io.multihome.agent.cni.exec.BuiltInPluginExecutor;
import io.multihome.agent.cni.exec.NetworkListRunner;
import io.multihome.agent.cni.exec.PluginExecutor;
import io.multihome.agent.cni.exec.ProcessPluginExecutor;
import io.multihome.agent.cni.nad.NamespacePolicy;
import io.multihome.agent.cni.nad.NetworkResolver;
import io.multihome.agent.cni.nad.NetworkSource;
import io.multihome.agent.cni.sriov.NetlinkVfControl;
import io.multihome.agent.cni.sriov.SriovPlugin;
import io.multihome.agent.cni.sriov.SriovStateStore;
import io.multihome.agent.cni.sriov.VfControl;
import io.multihome.agent.cni.sriov.VfLocator;
import io.multihome.agent.netlink.NetNs;
import io.multihome.sriov.sysfs.Sysfs;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The entry point the agent's cluster wiring calls: give it the informer-backed sources and the
 * status writer, get a running socket server. Everything else is internal.
 */
public final class CniDaemon implements AutoCloseable {

  /**
   * @param socket where the shim connects (default {@code /run/multihome/cni.sock})
   * @param stateDir per-container state, must survive agent restarts (e.g. /var/lib/multihome/cni)
   * @param cniPath plugin directories (e.g. /opt/cni/bin)
   * @param confDir on-disk NAD configs for NADs without spec.config (e.g. /etc/cni/multus/net.d)
   * @param agentNamespace where default-network overrides are looked up (kube-system)
   * @param nodeNetns run plugins inside this netns (lab nodes); null in production
   * @param maxConcurrentRequests cap on requests served at once
   * @param pluginEnv added to every plugin's environment (see {@link #ipamSocket()})
   */
  public record Settings(
      Path socket,
      Path stateDir,
      List<Path> cniPath,
      Path confDir,
      NamespacePolicy namespacePolicy,
      String agentNamespace,
      Path nodeNetns,
      int maxConcurrentRequests,
      Duration pluginTimeout,
      Duration readinessTimeout,
      Map<String, String> pluginEnv) {

    public Settings {
      pluginEnv = Map.copyOf(pluginEnv);
    }

    /**
     * The whereabouts-compatible IPAM's socket, beside the attachment socket ({@code ipam.sock}).
     * Plugins get it as {@code MULTIHOME_IPAM_SOCKET}, so the {@code whereabouts} shim a main
     * plugin execs reaches this daemon, on a node or in a lab with one daemon per node namespace.
     */
    public Path ipamSocket() {
      return socket.resolveSibling("ipam.sock");
    }

    /** The same settings with more plugin environment (the lab: where the shim's JVM is). */
    public Settings withPluginEnv(Map<String, String> env) {
      var merged = new java.util.HashMap<>(pluginEnv);
      merged.putAll(env);
      return new Settings(
          socket,
          stateDir,
          cniPath,
          confDir,
          namespacePolicy,
          agentNamespace,
          nodeNetns,
          maxConcurrentRequests,
          pluginTimeout,
          readinessTimeout,
          merged);
    }

    public static Settings defaults() {
      return new Settings(
          Path.of("/run/multihome/cni.sock"),
          Path.of("/var/lib/multihome/cni"),
          List.of(Path.of("/opt/cni/bin")),
          Path.of("/etc/cni/multus/net.d"),
          NamespacePolicy.open(),
          "kube-system",
          null,
          16,
          Duration.ofSeconds(60),
          Duration.ofSeconds(45),
          Map.of());
    }
  }

  /**
   * What the cluster wiring adds beyond {@link Settings}.
   *
   * @param events AddedInterface/NoNetworkFound sink
   * @param devices device-plugin allocations for NADs with a resourceName (kubelet checkpoint)
   * @param sysfsRoot where the sriov attachment finds VFs (default /sys)
   * @param vfControl VF attribute setter for the sriov attachment; null means netlink through the
   *     PF (the hardware-less emulation passes a recording one)
   * @param deviceInfoRoot NPWG device-info files ({@code dp/}, {@code cni/})
   * @param dhcpSocket where this node's DHCP daemon listens ({@code DhcpDaemonSupervisor}); when
   *     set and not the plugin's default, dhcp IPAM configs get it as {@code daemonSocketPath}
   */
  public record Extras(
      PodEvents events,
      DeviceIdSource devices,
      Path sysfsRoot,
      VfControl vfControl,
      Path deviceInfoRoot,
      Path dhcpSocket) {

    public Extras withDhcpSocket(Path socket) {
      return new Extras(events, devices, sysfsRoot, vfControl, deviceInfoRoot, socket);
    }

    public static Extras defaults() {
      return new Extras(
          PodEvents.none(),
          DeviceIdSource.none(),
          Sysfs.DEFAULT_ROOT,
          null,
          DeviceInfoFiles.DEFAULT_ROOT,
          null);
    }
  }

  private final CniService service;
  private final CniSocketServer server;

  private CniDaemon(CniService service, CniSocketServer server) {
    this.service = service;
    this.server = server;
  }

  public static CniDaemon start(
      Settings settings, NetworkSource nads, PodSource pods, StatusSink statusSink)
      throws IOException {
    return start(settings, nads, pods, statusSink, Extras.defaults());
  }

  public static CniDaemon start(
      Settings settings, NetworkSource nads, PodSource pods, StatusSink statusSink, Extras extras)
      throws IOException {
    var executor = executor(settings, extras);
    var listRunner = new NetworkListRunner(executor);
    var store = new StateStore(settings.stateDir());
    var resolver = new NetworkResolver(nads, settings.confDir(), settings.namespacePolicy());
    var service =
        new CniService(
            pods,
            new AttachmentPlanner(resolver, settings.agentNamespace(), extras.devices()),
            new AttachmentRunner(
                listRunner,
                store,
                new NetlinkPodNetns(),
                settings.cniPath(),
                new DeviceInfoFiles(extras.deviceInfoRoot()),
                nodeDeviceKeeper(settings, extras)),
            listRunner,
            store,
            statusSink,
            settings.cniPath(),
            settings.readinessTimeout());
    service.setEvents(extras.events());
    var server = new CniSocketServer(settings.socket(), service, settings.maxConcurrentRequests());
    return new CniDaemon(service, server);
  }

  /**
   * Records and gives back the node devices host-device and sriov attachments take, in the
   * namespace the plugins run in (the agent's own in production, the lab node's otherwise).
   */
  public static NodeDeviceKeeper nodeDeviceKeeper(Settings settings, Extras extras) {
    Path node = settings.nodeNetns();
    Supplier<NetNs> nodeNamespace =
        node == null ? NetNs::current : () -> NetNs.path(node.toString());
    var vfs = new VfLocator(Sysfs.real(extras.sysfsRoot()));
    return new NodeDeviceKeeper(nodeNamespace, extras.sysfsRoot(), vfs::currentNetdev);
  }

  /** Binaries from CNI_PATH, plus the plugins the agent implements itself ({@code sriov}). */
  public static PluginExecutor executor(Settings settings, Extras extras) {
    var env = new HashMap<>(settings.pluginEnv());
    env.putIfAbsent("MULTIHOME_IPAM_SOCKET", settings.ipamSocket().toString());
    PluginExecutor binaries =
        DhcpSocketInjector.wrap(
            new ProcessPluginExecutor(settings.nodeNetns(), settings.pluginTimeout(), env),
            extras.dhcpSocket());
    Path node = settings.nodeNetns();
    Supplier<NetNs> nodeNamespace =
        node == null ? NetNs::current : () -> NetNs.path(node.toString());
    VfControl vfs =
        extras.vfControl() != null ? extras.vfControl() : new NetlinkVfControl(nodeNamespace);
    var sriov =
        new SriovPlugin(
            new VfLocator(Sysfs.real(extras.sysfsRoot())),
            vfs,
            binaries,
            new SriovStateStore(settings.stateDir()),
            nodeNamespace);
    return new BuiltInPluginExecutor(Map.of(SriovPlugin.TYPE, sriov), binaries);
  }

  /** For in-process callers (hot-plug later) and tests. */
  public CniService service() {
    return service;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
