package io.multihome.agent.cluster.proxy;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.multihome.api.nad.ServiceNetworkNames;
import io.multihome.api.read.LenientClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's proxy for Services on secondary networks. Watches the labelled Services and the slices
 * multihome's controller writes (cluster-wide: any pod here may use any of them) and the local
 * attachments; every change schedules one sync a few milliseconds later (a burst of events is one
 * sync), which renders every local pod's rules and programs the pods whose rules changed. A pod
 * whose programming failed is retried with the next sync, and a periodic resync catches up with
 * anything missed.
 */
public final class ServiceProxy implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceProxy.class);

  /** How long events are gathered before a sync. */
  static final long COALESCE_MILLIS = 20;

  private final AttachmentSource attachments;
  private final NetnsProgrammer programmer;
  private final LenientClient lenient;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<EndpointSlice> slices;
  private final ScheduledExecutorService worker;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final Map<String, PodRules> applied = new java.util.concurrent.ConcurrentHashMap<>();
  // Pods are programmed in parallel: each is one nft process (tens of ms on a busy node), and a
  // node with many pods on a network must still converge within a second.
  private final java.util.concurrent.ExecutorService appliers =
      Executors.newFixedThreadPool(
          4,
          r -> {
            var t = new Thread(r, "service-proxy-apply");
            t.setDaemon(true);
            return t;
          });
  private volatile BiConsumer<String, PodRules> listener = (netns, rules) -> {};

  private ServiceProxy(
      KubernetesClient client,
      AttachmentSource attachments,
      NetnsProgrammer programmer,
      java.time.Duration resync) {
    this.attachments = attachments;
    this.programmer = programmer;
    // No Service or EndpointSlice may stop the informers.
    this.lenient = LenientClient.of(client);
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              var t = new Thread(r, "service-proxy");
              t.setDaemon(true);
              return t;
            });
    ResourceEventHandler<Object> any =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Object o) {
            requestSync();
          }

          @Override
          public void onUpdate(Object o, Object n) {
            requestSync();
          }

          @Override
          public void onDelete(Object o, boolean unknown) {
            requestSync();
          }
        };
    // Built first and started last: their first events call back into this object.
    this.services =
        lenient
            .client()
            .services()
            .inAnyNamespace()
            .withLabel(ServiceNetworkNames.PROXY_NAME_LABEL, ServiceNetworkNames.PROXY_NAME)
            .runnableInformer(0);
    this.slices =
        lenient
            .client()
            .discovery()
            .v1()
            .endpointSlices()
            .inAnyNamespace()
            .withLabel(ServiceNetworkNames.MANAGED_BY_LABEL, ServiceNetworkNames.MANAGED_BY)
            .runnableInformer(0);
    services.addEventHandler(handler(any));
    slices.addEventHandler(handler(any));
    services.start();
    slices.start();
    attachments.onChange(this::requestSync);
    worker.scheduleWithFixedDelay(
        this::requestSync, resync.toMillis(), resync.toMillis(), TimeUnit.MILLISECONDS);
    requestSync();
  }

  @SuppressWarnings("unchecked")
  private static <T> ResourceEventHandler<T> handler(ResourceEventHandler<Object> any) {
    return (ResourceEventHandler<T>) (ResourceEventHandler<?>) any;
  }

  /** Starts watching and programming; {@code attachments} is closed with the proxy. */
  public static ServiceProxy start(KubernetesClient client, AttachmentSource attachments) {
    return start(client, attachments, new NetnsProgrammer(), java.time.Duration.ofSeconds(30));
  }

  public static ServiceProxy start(
      KubernetesClient client,
      AttachmentSource attachments,
      NetnsProgrammer programmer,
      java.time.Duration resync) {
    return new ServiceProxy(client, attachments, programmer, resync);
  }

  /** Called after a pod namespace was programmed (tests and benchmarks time the update). */
  public void onApplied(BiConsumer<String, PodRules> listener) {
    this.listener = listener;
  }

  public boolean hasSynced() {
    return services.hasSynced() && slices.hasSynced();
  }

  void requestSync() {
    if (pending.compareAndSet(false, true)) {
      try {
        worker.schedule(this::sync, COALESCE_MILLIS, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException closing) {
        pending.set(false);
      }
    }
  }

  private void sync() {
    pending.set(false);
    try {
      syncOnce();
    } catch (RuntimeException e) {
      // One bad object or namespace must not stop the proxy: log, and try again shortly.
      LOG.warn("Service proxy sync failed: {}", e.toString(), e);
      worker.schedule(this::requestSync, 1, TimeUnit.SECONDS);
    }
  }

  private void syncOnce() {
    if (!hasSynced()) {
      requestSync(); // an empty cache would remove every pod's rules
      return;
    }
    List<PodAttachment> all;
    try {
      all = attachments.current();
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot read local attachments: {}", e.toString());
      return;
    }
    Map<String, List<PodAttachment>> byNetns = new LinkedHashMap<>();
    for (PodAttachment a : all) {
      byNetns.computeIfAbsent(a.netns(), k -> new ArrayList<>()).add(a);
    }
    List<Service> svcs = new ArrayList<>(services.getStore().list());
    svcs.sort(
        Comparator.comparing(
            s -> s.getMetadata().getNamespace() + "/" + s.getMetadata().getName()));
    List<EndpointSlice> eps = slices.getStore().list();
    Set<String> live = new HashSet<>();
    List<java.util.concurrent.Future<?>> running = new ArrayList<>();
    for (var e : byNetns.entrySet()) {
      live.add(e.getKey());
      PodRules want = ServiceRules.render(svcs, eps, e.getValue());
      PodRules have = applied.get(e.getKey());
      if (want.equals(have) || (have == null && want.isEmpty())) {
        continue;
      }
      running.add(appliers.submit(() -> program(e.getKey(), want, have)));
    }
    for (var f : running) {
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException ex) {
        LOG.warn("programming a pod failed: {}", ex.getCause().toString());
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    for (String gone : new ArrayList<>(applied.keySet())) {
      if (!live.contains(gone)) {
        try {
          programmer.remove(gone); // attachment gone but namespace still there (DEL of net1 only)
        } catch (IOException ex) {
          LOG.debug("clearing {}: {}", gone, ex.getMessage());
        }
        applied.remove(gone);
        listener.accept(gone, PodRules.NONE);
      }
    }
  }

  private void program(String netns, PodRules rules, PodRules previous) {
    try {
      programmer.apply(netns, rules, previous);
      applied.put(netns, rules);
      listener.accept(netns, rules);
    } catch (IOException | RuntimeException e) {
      applied.remove(netns); // unknown state: reprogram next time
      LOG.warn("programming Services into {}: {}", netns, e.getMessage());
      worker.schedule(this::requestSync, 1, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    services.close();
    slices.close();
    lenient.close();
    worker.shutdownNow();
    appliers.shutdownNow();
    try {
      attachments.close();
    } catch (Exception e) {
      LOG.debug("closing attachments: {}", e.toString());
    }
  }
}
