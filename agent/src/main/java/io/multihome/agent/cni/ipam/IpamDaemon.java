package io.multihome.agent.cni.ipam;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.multihome.agent.cni.daemon.CniSocketServer;
import io.multihome.agent.kube.ReadProblemEvents;
import io.multihome.api.read.LenientClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's whereabouts-compatible IPAM: the socket the {@code whereabouts} shim talks to and,
 * once {@link #startReconciler} is called (the agent does), the reconciler, which runs on one node
 * at a time (a Lease decides which).
 */
public final class IpamDaemon implements AutoCloseable {

  /**
   * @param namespace where IPPools and reservations live (whereabouts: its kubeconfig's namespace,
   *     {@code kube-system} by default)
   * @param flatFiles the whereabouts flat-file locations searched after {@code configuration_path}
   * @param maxConcurrentRequests IPAM calls served at once
   */
  public record Options(
      String namespace, List<Path> flatFiles, Backoff backoff, int maxConcurrentRequests) {

    public Options {
      flatFiles = List.copyOf(flatFiles);
    }

    public static Options defaults() {
      return new Options(
          "kube-system", WhereaboutsConfigParser.DEFAULT_FLAT_FILES, Backoff.defaults(), 32);
    }

    public Options withFlatFiles(List<Path> files) {
      return new Options(namespace, files, backoff, maxConcurrentRequests);
    }

    public Options withNamespace(String ns) {
      return new Options(ns, flatFiles, backoff, maxConcurrentRequests);
    }
  }

  /** The Lease that elects the one reconciling daemon (in the agent's namespace). */
  public static final String LEASE = "multihome-ipam-reconciler";

  private static final Logger LOG = LoggerFactory.getLogger(IpamDaemon.class);

  private final LenientClient lenient;
  private final KubernetesClient client;
  private final Options options;
  private final KubernetesPoolStore store;
  private final CniSocketServer server;
  private ScheduledExecutorService timer;
  private CompletableFuture<?> election;
  private volatile ScheduledFuture<?> sweeping;

  private IpamDaemon(
      LenientClient lenient, Options options, KubernetesPoolStore store, CniSocketServer server) {
    this.lenient = lenient;
    this.client = lenient.client();
    this.options = options;
    this.store = store;
    this.server = server;
  }

  public static IpamDaemon start(KubernetesClient client, Path socket, Options options)
      throws IOException {
    // No pod (the reconciler lists them all) may stop a sweep.
    var lenient = LenientClient.of(client);
    var store = new KubernetesPoolStore(lenient.client(), options.namespace());
    var handler =
        new IpamCniHandler(
            new WhereaboutsIpam(store, options.backoff()),
            new WhereaboutsConfigParser(options.flatFiles()));
    CniSocketServer server;
    try {
      server = new CniSocketServer(socket, handler, options.maxConcurrentRequests());
    } catch (IOException | RuntimeException e) {
      lenient.close();
      throw e;
    }
    return new IpamDaemon(lenient, options, store, server);
  }

  public Path socket() {
    return server.socket();
  }

  /** A reconciler over this daemon's pools (one sweep on demand: tests, the lab). */
  public IpamReconciler reconciler() {
    return new IpamReconciler(client, store, options.backoff());
  }

  /**
   * Joins the election for the reconciler's Lease (in {@code leaseNamespace}, the agent's own);
   * while this node holds it, a sweep runs every {@code interval}. {@code identity}: this node.
   */
  public synchronized void startReconciler(
      Duration interval, String identity, String leaseNamespace) {
    if (election != null) {
      return;
    }
    var reconciler =
        new IpamReconciler(
            client,
            store,
            options.backoff(),
            new ReadProblemEvents(client, IpamReconciler.COMPONENT, identity));
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              var t = new Thread(r, "ipam-reconciler");
              t.setDaemon(true);
              return t;
            });
    var config =
        new LeaderElectionConfigBuilder()
            .withName(LEASE)
            .withLock(new LeaseLock(leaseNamespace, LEASE, identity))
            .withLeaseDuration(Duration.ofSeconds(30))
            .withRenewDeadline(Duration.ofSeconds(20))
            .withRetryPeriod(Duration.ofSeconds(5))
            .withReleaseOnCancel(true)
            .withLeaderCallbacks(
                new LeaderCallbacks(
                    () -> lead(reconciler, interval),
                    this::stopLeading,
                    leader -> LOG.debug("IPAM reconciler leader: {}", leader)))
            .build();
    election = client.leaderElector().withConfig(config).build().start();
  }

  private void lead(IpamReconciler reconciler, Duration interval) {
    LOG.info("this node now runs the IPAM reconciler (every {})", interval);
    sweeping =
        timer.scheduleWithFixedDelay(
            () -> sweepQuietly(reconciler),
            interval.toMillis(),
            interval.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  private void stopLeading() {
    ScheduledFuture<?> s = sweeping;
    if (s != null) {
      s.cancel(false);
    }
  }

  private static void sweepQuietly(IpamReconciler reconciler) {
    try {
      reconciler.sweep();
    } catch (PoolStore.StoreException | RuntimeException e) {
      LOG.warn("IPAM reconciler sweep failed (the next one follows): {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (election != null) {
      election.cancel(true);
    }
    if (timer != null) {
      timer.shutdownNow();
    }
    try {
      server.close();
    } finally {
      lenient.close();
    }
  }
}
