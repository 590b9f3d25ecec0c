package io.multihome.agent.cni;

import io.multihome.agent.cni.daemon.CniRequest;
import io.multihome.agent.cni.daemon.CniResponse;
import io.multihome.agent.cni.daemon.CniService;
import io.multihome.agent.cni.daemon.PodSource;
import io.multihome.agent.cni.exec.NetworkListRunner;
import io.multihome.agent.cni.exec.PluginExecutor;
import io.multihome.agent.cni.exec.ProcessPluginExecutor;
import io.multihome.agent.cni.nad.InMemoryNetworkSource;
import io.multihome.agent.cni.nad.NamespacePolicy;
import io.multihome.agent.cni.nad.NetworkResolver;
import io.multihome.agent.cni.nad.NetworkSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link CniService} wired with in-memory sources, as the daemon wires it with informers. */
final class CniHarness {

  final InMemoryNetworkSource nads = new InMemoryNetworkSource();
  final Map<String, PodSource.Pod> podMap = new ConcurrentHashMap<>();
  final Map<String, String> published = new ConcurrentHashMap<>();
  volatile boolean podsAvailable = true;
  volatile DeviceIdSource devices = DeviceIdSource.none();
  final Path dir;
  final Path stateDir;
  final Path deviceInfoRoot;
  final Path pluginConfigFile;
  final CniService service;

  /**
   * The reference plugins of {@link KernelFixture#CNI_BIN} run in {@code k}'s node namespace (30 s
   * timeout), {@link AttachmentKernelTest#clusterConflist} as the cluster network.
   */
  static CniHarness referencePlugins(Path dir, KernelFixture k) throws Exception {
    return new CniHarness(
        dir,
        new ProcessPluginExecutor(KernelFixture.path(k.node), Duration.ofSeconds(30)),
        List.of(KernelFixture.CNI_BIN),
        AttachmentKernelTest.clusterConflist(dir));
  }

  /**
   * As {@link #referencePlugins(Path, KernelFixture)}, keeping node devices with {@code keeper}.
   */
  static CniHarness referencePlugins(
      Path dir, KernelFixture k, io.multihome.agent.cni.device.NodeDeviceKeeper keeper)
      throws Exception {
    return new CniHarness(
        dir,
        new ProcessPluginExecutor(KernelFixture.path(k.node), Duration.ofSeconds(30)),
        List.of(KernelFixture.CNI_BIN),
        AttachmentKernelTest.clusterConflist(dir),
        keeper);
  }

  CniHarness(Path dir, PluginExecutor executor, List<Path> cniPath, String clusterConflist)
      throws Exception {
    this(dir, executor, cniPath, clusterConflist, NamespacePolicy.open());
  }

  CniHarness(
      Path dir,
      PluginExecutor executor,
      List<Path> cniPath,
      String clusterConflist,
      NamespacePolicy policy)
      throws Exception {
    this(dir, executor, cniPath, clusterConflist, policy, new NetlinkPodNetns());
  }

  CniHarness(
      Path dir,
      PluginExecutor executor,
      List<Path> cniPath,
      String clusterConflist,
      NamespacePolicy policy,
      PodNetns podNetns)
      throws Exception {
    this(dir, executor, cniPath, clusterConflist, policy, podNetns, null);
  }

  CniHarness(
      Path dir,
      PluginExecutor executor,
      List<Path> cniPath,
      String clusterConflist,
      NamespacePolicy policy,
      PodNetns podNetns,
      io.multihome.agent.cni.daemon.StatusSink sink)
      throws Exception {
    this(dir, executor, cniPath, clusterConflist, policy, podNetns, sink, null);
  }

  /** With node-device keeping (host-device, sriov), as the daemon wires it. */
  CniHarness(
      Path dir,
      PluginExecutor executor,
      List<Path> cniPath,
      String clusterConflist,
      io.multihome.agent.cni.device.NodeDeviceKeeper nodeDevices)
      throws Exception {
    this(
        dir,
        executor,
        cniPath,
        clusterConflist,
        NamespacePolicy.open(),
        new NetlinkPodNetns(),
        null,
        nodeDevices);
  }

  CniHarness(
      Path dir,
      PluginExecutor executor,
      List<Path> cniPath,
      String clusterConflist,
      NamespacePolicy policy,
      PodNetns podNetns,
      io.multihome.agent.cni.daemon.StatusSink sink,
      io.multihome.agent.cni.device.NodeDeviceKeeper nodeDevices)
      throws Exception {
    this.dir = dir;
    this.stateDir = dir.resolve("state");
    Path cluster = dir.resolve("10-cluster.conflist");
    Files.writeString(cluster, clusterConflist);
    pluginConfigFile = dir.resolve("00-multihome-plugin.json");
    Files.writeString(
        pluginConfigFile,
        "{\"cniVersion\":\"1.0.0\",\"name\":\"multihome\",\"type\":\"multihome-cni\","
            + "\"clusterNetwork\":\""
            + cluster
            + "\"}");
    PodSource pods =
        (ns, name) -> {
          if (!podsAvailable) {
            throw new NetworkSource.SourceUnavailableException("API down (test)");
          }
          return Optional.ofNullable(podMap.get(ns + "/" + name));
        };
    var resolver = new NetworkResolver(nads, dir.resolve("net.d"), policy);
    var listRunner = new NetworkListRunner(executor);
    var store = new StateStore(stateDir);
    deviceInfoRoot = dir.resolve("devinfo");
    var runner =
        new AttachmentRunner(
            listRunner, store, podNetns, cniPath, new DeviceInfoFiles(deviceInfoRoot), nodeDevices);
    service =
        new CniService(
            pods,
            new AttachmentPlanner(
                resolver, "kube-system", (uid, resource) -> devices.deviceIds(uid, resource)),
            runner,
            listRunner,
            store,
            sink != null
                ? sink
                : (pod, status) -> published.put(pod.namespace() + "/" + pod.name(), status),
            cniPath,
            Duration.ofSeconds(2));
  }

  void pod(String ns, String name, String uid, String networksAnnotation) {
    var annotations = new HashMap<String, String>();
    if (networksAnnotation != null) {
      annotations.put("k8s.v1.cni.cncf.io/networks", networksAnnotation);
    }
    podMap.put(ns + "/" + name, new PodSource.Pod(uid, annotations));
  }

  Map<String, String> env(String command, String containerId, String netns, String ns, String pod) {
    var env = new HashMap<String, String>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", containerId);
    if (netns != null) {
      env.put("CNI_NETNS", netns);
    }
    env.put("CNI_IFNAME", "eth0");
    env.put("CNI_PATH", "/usr/lib/cni");
    env.put(
        "CNI_ARGS",
        "IgnoreUnknown=1;K8S_POD_NAMESPACE="
            + ns
            + ";K8S_POD_NAME="
            + pod
            + ";K8S_POD_INFRA_CONTAINER_ID="
            + containerId);
    return env;
  }

  CniResponse call(String command, String containerId, String netns, String ns, String pod)
      throws Exception {
    return service.handle(
        new CniRequest(
            env(command, containerId, netns, ns, pod), Files.readAllBytes(pluginConfigFile)));
  }

  static String text(CniResponse r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }
}
