package io.multihome.lab.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.multihome.agent.cluster.Backoff;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's kubelet for every lab node, with CRI-O's part of the work: pods bound to a lab node
 * ({@code spec.nodeName}) get a sandbox through the CNI shim (retried with back-off, {@code
 * FailedCreatePodSandBox} events), their containers' commands run in the sandbox's network
 * namespace, and their status (phase, IPs, conditions, container states) is written as the kubelet
 * writes it. Deleted pods lose their processes and sandbox (DEL retried until it succeeds). The
 * nodes' capacity (CPU, memory, pods, device-plugin resources) is published on their status.
 */
public final class LabKubelet implements AutoCloseable {
  /** First retry after a second, doubling to the kubelet's 10 s. */
  public static final Backoff SANDBOX_RETRY =
      new Backoff(1, Duration.ofSeconds(1), Duration.ofSeconds(10));

  private static final Backoff CREATE_RETRY =
      new Backoff(1, Duration.ofSeconds(2), Duration.ofSeconds(20));
  private static final Duration STOP_GRACE = Duration.ofSeconds(3);
  private static final Logger log = LoggerFactory.getLogger(LabKubelet.class);

  private final LabHost host;
  private final LabInformers informers;
  private final CniRuntime cni;
  private final DeviceManager devices;
  private final NodeStatusPublisher nodeStatus;
  private final ContainerLogs logs = new ContainerLogs();
  private final KubeletContext ctx;
  private final WorkQueue queue;
  private final WorkQueue nodeQueue;
  private final Map<String, PodWorker> workers = new HashMap<>();
  private final Map<String, SandboxInfo> sandboxes = new LinkedHashMap<>();
  private volatile boolean closing;

  /** Installs the CNI shim and registers with {@code informers} (start them afterwards). */
  public LabKubelet(
      LabHost host, LabInformers informers, EventRecorder events, Backoff sandboxRetry)
      throws IOException {
    this.host = host;
    this.informers = informers;
    this.cni = CniRuntime.install(host);
    this.devices = new DeviceManager(host::kubeletCheckpoint);
    this.nodeStatus = new NodeStatusPublisher(host, devices);
    this.queue = new WorkQueue("lab-kubelet", 3, SANDBOX_RETRY, this::reconcile);
    this.nodeQueue = new WorkQueue("lab-kubelet-nodes", 1, SANDBOX_RETRY, this::publishNode);
    this.ctx =
        new KubeletContext(
            host,
            new SandboxManager(host, cni),
            devices,
            events,
            logs,
            sandboxRetry,
            CREATE_RETRY,
            STOP_GRACE,
            queue::enqueue,
            new Listener());
    informers.pods.addEventHandler(
        LabInformers.onAnyChange(
            (Pod p) ->
                queue.enqueue(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())));
    informers.nodes.addEventHandler(
        LabInformers.onAnyChange(n -> nodeQueue.enqueue(n.getMetadata().getName())));
  }

  /** The CNI bin dir the runtime searches first (holds the {@code multihome-cni} link). */
  public Path cniBinDir() {
    return cni.binDir();
  }

  /** Where containers' output is ({@code kubectl logs}). */
  public ContainerLogs logs() {
    return logs;
  }

  /**
   * Registers device-plugin devices of {@code resource} on {@code node}: pods requesting it get
   * free ones, and the node's capacity and allocatable show their count.
   */
  public void registerDevices(String node, String resource, List<String> ids) throws IOException {
    devices.register(node, resource, ids);
    nodeQueue.enqueue(node);
  }

  /** The process of {@code container}'s current run, if it runs one. */
  public Optional<Process> process(String namespace, String pod, String container) {
    synchronized (workers) {
      var w = workers.get(namespace + "/" + pod);
      return w == null ? Optional.empty() : w.process(container);
    }
  }

  /** Waits until the pod had a sandbox attempt (ADD answered, successfully or not). */
  public Optional<SandboxInfo> awaitSandbox(String namespace, String name, Duration max)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (sandboxes) {
      while (!sandboxes.containsKey(namespace + "/" + name)) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return Optional.empty();
        }
        sandboxes.wait(left);
      }
      return Optional.of(sandboxes.get(namespace + "/" + name));
    }
  }

  /** Waits until nothing of the pod is left on its node (after it was deleted). */
  public boolean awaitRemoved(String namespace, String name, Duration max)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (sandboxes) {
      while (sandboxes.containsKey(namespace + "/" + name)) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return false;
        }
        sandboxes.wait(left);
      }
      return true;
    }
  }

  /** The latest sandbox attempt of every pod the kubelet still holds. */
  public List<SandboxInfo> sandboxes() {
    synchronized (sandboxes) {
      return List.copyOf(sandboxes.values());
    }
  }

  private void publishNode(String name) {
    var node = informers.nodes.getStore().getByKey(name);
    if (node != null && !closing) {
      nodeStatus.ensure(node);
    }
  }

  private void reconcile(String key) throws InterruptedException {
    if (closing) {
      return;
    }
    Pod pod = informers.pods.getStore().getByKey(key);
    Instant now = Instant.now();
    PodWorker worker;
    synchronized (workers) {
      worker = workers.get(key);
    }
    if (worker != null
        && (pod == null || !worker.uid().equals(pod.getMetadata().getUid()) || deleting(pod))) {
      if (!worker.terminate(now)) {
        queue.enqueueAfter(key, Duration.between(now, worker.nextTeardownTry()));
        return;
      }
      synchronized (workers) {
        workers.remove(key);
      }
      worker = null;
    }
    String node = pod == null || pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (pod == null || deleting(pod) || node == null || !host.nodes().contains(node)) {
      return;
    }
    if (worker == null) {
      worker = new PodWorker(ctx, pod, node);
      synchronized (workers) {
        workers.put(key, worker);
      }
    }
    Instant wake = worker.sync(pod, now);
    writeStatus(worker, now);
    if (wake != null) {
      queue.enqueueAfter(key, Duration.between(Instant.now(), wake));
    }
  }

  private static boolean deleting(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  /** Replaces the pod's status (JSON patch on the status subresource: no version conflicts). */
  private void writeStatus(PodWorker worker, Instant now) {
    Optional<PodStatus> status = worker.statusToWrite(now);
    if (status.isEmpty() || closing) {
      return;
    }
    var m = worker.pod().getMetadata();
    var pod = host.client().pods().inNamespace(m.getNamespace()).withName(m.getName());
    if (StatusPatches.replace(host.client(), pod, status.get())) {
      worker.written(status.get());
    }
  }

  /** Stops every container and removes every sandbox (one DEL each, namespaces always removed). */
  @Override
  public void close() {
    closing = true;
    queue.close();
    nodeQueue.close();
    List<PodWorker> all;
    synchronized (workers) {
      all = new ArrayList<>(workers.values());
      workers.clear();
    }
    for (var w : all) {
      try {
        w.forceTerminate();
      } catch (RuntimeException e) {
        log.warn("removing pod {}: {}", w.pod().getMetadata().getName(), e.toString());
      }
    }
  }

  private final class Listener implements KubeletContext.SandboxListener {
    @Override
    public void attempted(SandboxInfo sandbox) {
      synchronized (sandboxes) {
        sandboxes.put(sandbox.namespace() + "/" + sandbox.name(), sandbox);
        sandboxes.notifyAll();
      }
    }

    @Override
    public void removed(String namespace, String name, String uid) {
      synchronized (sandboxes) {
        var s = sandboxes.get(namespace + "/" + name);
        if (s != null && s.uid().equals(uid)) {
          sandboxes.remove(namespace + "/" + name);
        }
        sandboxes.notifyAll();
      }
    }
  }
}
