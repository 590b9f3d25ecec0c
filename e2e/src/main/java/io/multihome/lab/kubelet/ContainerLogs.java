package io.multihome.lab.kubelet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each container's output is, for the API's {@code pods/log} endpoint ({@code kubectl logs}):
 * one plain file per container run (stdout and stderr interleaved as written, no CRI timestamps),
 * under {@code <workdir>/pods/<namespace>_<pod>_<uid>/<container>/<restart>.log} like the kubelet's
 * {@code /var/log/pods}. The files go when the pod is deleted.
 */
public final class ContainerLogs {
  /** The annotation kubectl reads for the container to show when none is named. */
  public static final String DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container";

  private record PodLogs(
      String defaultContainer, List<String> containers, Map<String, Runs> runs) {}

  private record Runs(Path current, Path previous) {}

  private final Map<String, PodLogs> pods = new ConcurrentHashMap<>();

  /**
   * The log of the container's current (or last) run. {@code container} null means the pod's
   * default container: the one {@value #DEFAULT_CONTAINER} names, else the first. Empty when the
   * pod or container is unknown or has not run yet.
   */
  public Optional<Path> logFile(String namespace, String pod, String container) {
    return runs(namespace, pod, container).map(Runs::current).filter(Files::exists);
  }

  /** The log of the run before the current one ({@code kubectl logs --previous}). */
  public Optional<Path> previousLogFile(String namespace, String pod, String container) {
    return runs(namespace, pod, container).map(Runs::previous).filter(Files::exists);
  }

  /** The pod's containers (init containers first) as the kubelet knows them; empty if unknown. */
  public List<String> containers(String namespace, String pod) {
    var p = pods.get(namespace + "/" + pod);
    return p == null ? List.of() : p.containers();
  }

  private Optional<Runs> runs(String namespace, String pod, String container) {
    var p = pods.get(namespace + "/" + pod);
    if (p == null) {
      return Optional.empty();
    }
    String name = container != null ? container : p.defaultContainer();
    return Optional.ofNullable(p.runs().get(name));
  }

  void register(String namespace, String pod, String defaultContainer, List<String> containers) {
    pods.put(
        namespace + "/" + pod,
        new PodLogs(defaultContainer, List.copyOf(containers), new ConcurrentHashMap<>()));
  }

  /** A new run of {@code container} writes to {@code file}; the earlier run becomes previous. */
  void started(String namespace, String pod, String container, Path file) {
    var p = pods.get(namespace + "/" + pod);
    if (p != null) {
      p.runs().compute(container, (k, old) -> new Runs(file, old == null ? null : old.current()));
    }
  }

  void remove(String namespace, String pod) {
    pods.remove(namespace + "/" + pod);
  }
}
