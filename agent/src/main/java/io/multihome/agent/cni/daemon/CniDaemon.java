package io.multihome.agent.cni.daemon;

import io.multihome.agent.cni.AttachmentPlanner;
import io.multihome.agent.cni.AttachmentRunner;
import io.multihome.agent.cni.IpCommandPodNetns;
import io.multihome.agent.cni.StateStore;
import io.multihome.agent.cni.exec.NetworkListRunner;
import io.multihome.agent.cni.exec.ProcessPluginExecutor;
import io.multihome.agent.cni.nad.NamespacePolicy;
import io.multihome.agent.cni.nad.NetworkResolver;
import io.multihome.agent.cni.nad.NetworkSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
      Duration readinessTimeout) {

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
          Duration.ofSeconds(45));
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
    var executor = new ProcessPluginExecutor(settings.nodeNetns(), settings.pluginTimeout());
    var listRunner = new NetworkListRunner(executor);
    var store = new StateStore(settings.stateDir());
    var resolver = new NetworkResolver(nads, settings.confDir(), settings.namespacePolicy());
    var service =
        new CniService(
            pods,
            new AttachmentPlanner(resolver, settings.agentNamespace()),
            new AttachmentRunner(listRunner, store, new IpCommandPodNetns(), settings.cniPath()),
            listRunner,
            store,
            statusSink,
            settings.cniPath(),
            settings.readinessTimeout());
    var server = new CniSocketServer(settings.socket(), service, settings.maxConcurrentRequests());
    return new CniDaemon(service, server);
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
