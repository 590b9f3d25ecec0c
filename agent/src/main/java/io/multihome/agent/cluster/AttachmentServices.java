package io.multihome.agent.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.multihome.agent.cluster.proxy.ServiceProxy;
import io.multihome.agent.cluster.proxy.StateDirAttachments;
import io.multihome.agent.cni.cluster.CniCluster;
import io.multihome.agent.cni.daemon.CniDaemon;
import io.multihome.agent.cni.sriov.VfControl;
import java.io.IOException;
import java.time.Duration;

/**
 * Everything a node runs for its pods' secondary networks, started and stopped together: the CNI
 * daemon with the whereabouts-compatible IPAM ({@link CniCluster}), the IPAM reconciler (one node
 * at a time, elected through a Lease) and the Service proxy reading the daemon's attachment
 * records. {@code multihome agent} starts it, and so does the lab for each of its nodes, so both
 * run the same wiring.
 */
public final class AttachmentServices implements AutoCloseable {

  /**
   * @param reconcileInterval how often the elected node sweeps for addresses whose pod is gone
   * @param leaseNamespace where the reconciler's Lease lives (the agent's namespace)
   */
  public record Options(Duration reconcileInterval, String leaseNamespace) {
    /** The agent's sweep interval (docs/ipam.md "Reconciler"). */
    public static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofMinutes(5);

    public static Options defaults(String leaseNamespace) {
      return new Options(DEFAULT_RECONCILE_INTERVAL, leaseNamespace);
    }

    public Options withReconcileInterval(Duration interval) {
      return new Options(interval, leaseNamespace);
    }
  }

  private final CniCluster cni;
  private final ServiceProxy proxy;

  private AttachmentServices(CniCluster cni, ServiceProxy proxy) {
    this.cni = cni;
    this.proxy = proxy;
  }

  /**
   * Starts the daemon (on {@code settings.socket()}, its IPAM beside it), joins the reconciler's
   * election and starts the proxy over {@code settings.stateDir()}. {@code vfControl}: the sriov
   * attachment's VF setter, null for netlink through the PF. On failure what was started is
   * stopped.
   */
  public static AttachmentServices start(
      KubernetesClient client,
      String node,
      CniDaemon.Settings settings,
      CniCluster.Options cniOptions,
      VfControl vfControl,
      Options options)
      throws IOException {
    CniCluster cni = CniCluster.start(client, node, settings, cniOptions, vfControl);
    try {
      // One agent at a time (Lease) frees addresses whose pods are gone (docs/ipam.md).
      cni.ipam().startReconciler(options.reconcileInterval(), node, options.leaseNamespace());
      // Services on secondary networks, programmed into the local pods (docs/services.md).
      var proxy = ServiceProxy.start(client, new StateDirAttachments(settings.stateDir()));
      return new AttachmentServices(cni, proxy);
    } catch (IOException | RuntimeException e) {
      cni.close();
      throw e;
    }
  }

  public CniCluster cni() {
    return cni;
  }

  public ServiceProxy proxy() {
    return proxy;
  }

  /** The proxy first (it reads the daemon's records), then the daemon and its IPAM. */
  @Override
  public void close() {
    try {
      proxy.close();
    } finally {
      cni.close();
    }
  }
}
