package io.multihome.lab;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.multihome.lab.kubelet.ContainerLogs;
import io.multihome.lab.kubelet.DeploymentController;
import io.multihome.lab.kubelet.EventRecorder;
import io.multihome.lab.kubelet.GarbageCollector;
import io.multihome.lab.kubelet.KubeletPodLogs;
import io.multihome.lab.kubelet.LabHost;
import io.multihome.lab.kubelet.LabInformers;
import io.multihome.lab.kubelet.LabKubelet;
import io.multihome.lab.kubelet.LabScheduler;
import io.multihome.lab.kubelet.ReplicaSetController;
import io.multihome.lab.kubelet.SandboxInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the lab runs in place of the kubelets, the container runtime, the scheduler and the
 * controller-manager (implemented in {@code io.multihome.lab.kubelet}): every pod bound to a lab
 * node gets a sandbox — a network namespace {@code mh-lab-<id>-pod-<ns>-<name>} and a CNI ADD
 * through the real shim wrapper ({@code agent/src/main/dist/multihome-cni}), exec'ed exactly as a
 * runtime does — its containers' commands run inside it, and its status, events and logs are those
 * a kubelet gives. Pods without a node are scheduled; Deployments get ReplicaSets and pods; owned
 * objects are garbage-collected with their owner. Like a kubelet it also allocates device-plugin
 * devices (the SR-IOV VFs) to pods that request a registered resource, and writes them to the
 * node's checkpoint file, which is where the agent's CNI daemon finds them.
 */
public final class LabRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LabRuntime.class);

  private final List<AutoCloseable> parts = new ArrayList<>();
  private LabInformers informers;
  private EventRecorder events;
  private LabKubelet kubelet;
  private boolean closed;

  private LabRuntime() {}

  /** Starts kubelet, scheduler and controllers against {@code lab}'s API. */
  static LabRuntime start(Lab lab) throws IOException {
    var runtime = new LabRuntime();
    try {
      runtime.build(host(lab));
      return runtime;
    } catch (IOException | RuntimeException e) {
      runtime.close();
      throw e;
    }
  }

  private void build(LabHost host) throws IOException {
    KubernetesClient client = host.client();
    informers = new LabInformers(client);
    events = new EventRecorder(client);
    kubelet = new LabKubelet(host, informers, events, LabKubelet.SANDBOX_RETRY);
    parts.add(kubelet);
    parts.add(new LabScheduler(client, informers, events));
    parts.add(new ReplicaSetController(client, informers, events));
    parts.add(new DeploymentController(client, informers, events));
    parts.add(new GarbageCollector(client, informers));
    try {
      informers.start();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting the lab's informers", e);
    }
  }

  private static LabHost host(Lab lab) {
    return new LabHost() {
      @Override
      public KubernetesClient client() {
        return lab.client();
      }

      @Override
      public List<String> nodes() {
        return lab.nodes();
      }

      @Override
      public Optional<String> nodeAddress(String node) {
        int k = lab.nodes().indexOf(node);
        return k < 0 || !lab.fabric().hasPrimaryNics()
            ? Optional.empty()
            : Optional.of(LabFabric.nodeAddress(k + 1));
      }

      @Override
      public String nodeNamespace(String node) {
        return lab.namespaceOf(node);
      }

      /**
       * {@code mh-lab-<id>-pod-<suffix>}, or with {@code -<n>} added while that name is taken (a
       * sandbox whose DEL still fails keeps its namespace; the next sandbox needs another).
       */
      @Override
      public synchronized String newPodNamespace(String suffix) {
        String prefix = LabFabric.PREFIX + lab.fabric().id() + "-pod-";
        String candidate = suffix;
        for (int n = 1; Files.exists(Path.of("/run/netns", prefix + candidate)); n++) {
          candidate = suffix + "-" + n;
        }
        return lab.fabric().newPodNamespace(candidate);
      }

      @Override
      public void deleteNamespace(String netns) {
        lab.fabric().deleteNamespace(netns);
      }

      @Override
      public Path cniSocket(String node) {
        return lab.cniSocket(node);
      }

      @Override
      public Path cniConfDir(String node) {
        return lab.cniConfDir(node);
      }

      @Override
      public Path kubeletCheckpoint(String node) {
        return lab.kubeletCheckpoint(node);
      }

      @Override
      public Path workDir() {
        return lab.workDir();
      }

      @Override
      public Path repoRoot() {
        return lab.repoRoot();
      }

      @Override
      public Path cniPluginDir() {
        return Lab.CNI_BIN;
      }
    };
  }

  /**
   * Registers device-plugin devices of {@code resource} (e.g. {@code openshift.io/labsriov}) on
   * {@code node}; pods requesting that resource get the next free ones, and the node advertises
   * their count in its capacity and allocatable.
   */
  public void registerDevices(String node, String resource, List<String> ids) {
    try {
      kubelet.registerDevices(node, resource, ids);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the pod's sandbox is done (ADD answered, successfully or not). */
  public Optional<SandboxInfo> awaitSandbox(String namespace, String name, Duration max)
      throws InterruptedException {
    return kubelet.awaitSandbox(namespace, name, max);
  }

  /** Waits until the pod's sandbox is gone (after the pod was deleted). */
  public boolean awaitRemoved(String namespace, String name, Duration max)
      throws InterruptedException {
    return kubelet.awaitRemoved(namespace, name, max);
  }

  public List<SandboxInfo> sandboxes() {
    return kubelet.sandboxes();
  }

  /**
   * The containers' output for the API's {@code pods/log} endpoint: {@code
   * logs().logFile(namespace, pod, container)} gives the current run's log file ({@code container}
   * null: the pod's default container), {@code previousLogFile} the run before.
   */
  public ContainerLogs logs() {
    return kubelet.logs();
  }

  /** The API server's {@code pods/log} backend: this kubelet's container logs. */
  public io.multihome.lab.api.PodLogs podLogs() {
    return new KubeletPodLogs(kubelet);
  }

  /** The process running {@code container} of the pod now, if any (tests look at its netns). */
  public Optional<Process> containerProcess(String namespace, String pod, String container) {
    return kubelet.process(namespace, pod, container);
  }

  /** The CNI bin dir searched first (holds the {@code multihome-cni} link to the shim). */
  public Path cniBinDir() {
    return kubelet.cniBinDir();
  }

  /**
   * Stops scheduling and controllers, then every container, DEL for every sandbox and their
   * namespaces go; safe to call twice.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (informers != null) {
      informers.close();
    }
    for (int i = parts.size() - 1; i >= 0; i--) {
      try {
        parts.get(i).close();
      } catch (Exception e) {
        log.warn("stopping {}: {}", parts.get(i).getClass().getSimpleName(), e.toString());
      }
    }
    if (events != null) {
      events.close();
    }
  }
}
