package io.multihome.agent.cni.cluster;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.multihome.agent.cni.daemon.PodSource;
import io.multihome.agent.cni.nad.NetworkSource.SourceUnavailableException;
import io.multihome.agent.kube.ManagedFields;
import io.multihome.agent.kube.TransformingItemStore;
import io.multihome.api.read.LenientClient;
import io.multihome.api.read.MetaMaps;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pods of this node from an informer with the field selector {@code spec.nodeName=<node>}
 * (managedFields, spec and status dropped: the ADD path needs the UID and annotations only). The
 * kubelet asks for a sandbox moments after the scheduler bound the pod, so the watch event can
 * trail the CNI ADD: a pod missing from the cache is waited for briefly ({@code podWait}) and only
 * then read once directly from the API — the only API read the ADD path can make.
 */
public final class InformerPodSource implements PodSource, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(InformerPodSource.class);

  private final KubernetesClient client;
  private final String nodeName;
  private final SharedIndexInformer<io.fabric8.kubernetes.api.model.Pod> informer;
  private final Duration podWait;
  private final Object arrivals = new Object();
  private LenientClient owned;

  InformerPodSource(
      KubernetesClient client,
      String nodeName,
      SharedIndexInformer<io.fabric8.kubernetes.api.model.Pod> informer,
      Duration wait) {
    this.client = client;
    this.nodeName = nodeName;
    this.informer = informer;
    this.podWait = wait;
  }

  public static InformerPodSource start(KubernetesClient client, String nodeName, Duration wait) {
    // No pod may stop the informer (every attachment on the node waits for it).
    var lenient = LenientClient.of(client);
    var source =
        start(
            lenient.client(),
            nodeName,
            wait,
            lenient
                .client()
                .pods()
                .inAnyNamespace()
                .withField("spec.nodeName", nodeName)
                .runnableInformer(0));
    source.owned = lenient;
    return source;
  }

  /** With a caller-built informer (tests: the mock server cannot evaluate the field selector). */
  static InformerPodSource start(
      KubernetesClient client,
      String nodeName,
      Duration wait,
      SharedIndexInformer<io.fabric8.kubernetes.api.model.Pod> informer) {
    informer.itemStore(new TransformingItemStore<>(InformerPodSource::slim));
    var source = new InformerPodSource(client, nodeName, informer, wait);
    informer.addEventHandler(source.wakeUp());
    informer.start();
    return source;
  }

  static io.fabric8.kubernetes.api.model.Pod slim(io.fabric8.kubernetes.api.model.Pod pod) {
    ManagedFields.strip(pod);
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    return new PodBuilder()
        .withMetadata(pod.getMetadata())
        .withNewSpec()
        .withNodeName(node)
        .endSpec()
        .build();
  }

  private ResourceEventHandler<io.fabric8.kubernetes.api.model.Pod> wakeUp() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(io.fabric8.kubernetes.api.model.Pod pod) {
        signal();
      }

      @Override
      public void onUpdate(
          io.fabric8.kubernetes.api.model.Pod old, io.fabric8.kubernetes.api.model.Pod pod) {
        signal();
      }

      @Override
      public void onDelete(io.fabric8.kubernetes.api.model.Pod pod, boolean unknownFinalState) {}
    };
  }

  private void signal() {
    synchronized (arrivals) {
      arrivals.notifyAll();
    }
  }

  @Override
  public Optional<PodSource.Pod> find(String namespace, String name) {
    String key = namespace + "/" + name;
    long deadline = System.nanoTime() + podWait.toNanos();
    synchronized (arrivals) {
      while (true) {
        io.fabric8.kubernetes.api.model.Pod cached =
            informer.hasSynced() ? informer.getStore().getByKey(key) : null;
        if (cached != null) {
          return Optional.of(toSourcePod(cached));
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          arrivals.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SourceUnavailableException("interrupted waiting for pod " + key);
        }
      }
    }
    return direct(namespace, name);
  }

  private Optional<PodSource.Pod> direct(String namespace, String name) {
    io.fabric8.kubernetes.api.model.Pod pod;
    try {
      pod = client.pods().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      throw new SourceUnavailableException(
          "pod "
              + namespace
              + "/"
              + name
              + " not in the cache and the API failed: "
              + e.getMessage());
    }
    if (pod == null) {
      return Optional.empty();
    }
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (!nodeName.equals(node)) {
      LOG.warn("pod {}/{} is bound to node {}, not {}", namespace, name, node, nodeName);
      return Optional.empty();
    }
    LOG.info("pod {}/{} read from the API: the watch had not delivered it yet", namespace, name);
    return Optional.of(toSourcePod(pod));
  }

  private static PodSource.Pod toSourcePod(io.fabric8.kubernetes.api.model.Pod pod) {
    // Null values (a merge-patch removal in a lenient store) are absent, not a Map.copyOf NPE.
    return new PodSource.Pod(pod.getMetadata().getUid(), MetaMaps.annotations(pod));
  }

  /** Cache keys ({@code ns/name}), for tests and diagnostics. */
  public List<String> cachedKeys() {
    return informer.getStore().listKeys();
  }

  public boolean hasSynced() {
    return informer.hasSynced();
  }

  @Override
  public void close() {
    informer.close();
    if (owned != null) {
      owned.close();
    }
  }
}
