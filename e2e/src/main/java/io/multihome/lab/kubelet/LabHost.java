package io.multihome.lab.kubelet;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the lab's kubelet, scheduler and controller-manager stand-ins need from the lab: its API
 * client, its nodes and where each node keeps its CNI files. The lab implements it with an adapter,
 * so this package does not depend on {@code io.multihome.lab}.
 */
public interface LabHost {
  KubernetesClient client();

  /** The node names the lab runs a kubelet for. */
  List<String> nodes();

  /** The node's InternalIP (a pod's hostIP), when the lab gives nodes a primary address. */
  Optional<String> nodeAddress(String node);

  /** The node's own network namespace (where host-network pods run). */
  String nodeNamespace(String node);

  /** Creates a pod sandbox network namespace (loopback up) and returns its name. */
  String newPodNamespace(String suffix);

  /** Deletes a namespace made by {@link #newPodNamespace}. */
  void deleteNamespace(String netns);

  /** The unix socket of the node's CNI daemon (handed to the shim). */
  Path cniSocket(String node);

  /** The node's runtime CNI conf dir (where {@code 00-multihome.conflist} appears). */
  Path cniConfDir(String node);

  /** The node's device-manager checkpoint file. */
  Path kubeletCheckpoint(String node);

  /** Scratch space removed with the lab (container logs, CNI bin dir). */
  Path workDir();

  /** The checkout holding {@code agent/src/main/dist/multihome-cni}. */
  Path repoRoot();

  /** Where the reference CNI plugins live. */
  Path cniPluginDir();
}
