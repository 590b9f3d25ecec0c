package io.multihome.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.multihome.agent.cni.shim.CniShim;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's container runtime: every pod bound to a lab node ({@code spec.nodeName}) gets a sandbox
 * — a network namespace {@code mh-lab-<id>-pod-<ns>-<name>} and a CNI ADD through the real shim
 * wrapper ({@code agent/src/main/dist/multihome-cni}), exec'ed exactly as a runtime does: the
 * plugin named by the node's {@code 00-multihome.conflist} looked up in the CNI bin dir, {@code
 * CNI_*} in the environment, the plugin config on stdin. Deleting the pod runs DEL and removes the
 * namespace. Like a kubelet it also allocates device-plugin devices (the SR-IOV VFs) to pods that
 * request a registered resource, and writes them to the node's checkpoint file, which is where the
 * agent's CNI daemon finds them.
 */
public final class LabRuntime implements AutoCloseable {
  /** What a pod got: its sandbox and the shim's answer to ADD. */
  public record Sandbox(
      String namespace,
      String name,
      String uid,
      String node,
      String netns,
      String containerId,
      int exitCode,
      String result,
      String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  static final String PLUGIN_TYPE_KEY = "type";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger log = LoggerFactory.getLogger(LabRuntime.class);
  private static final Duration CONF_WAIT = Duration.ofSeconds(20);

  private final Lab lab;
  private final Path binDir;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            var t = new Thread(r, "lab-runtime");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, Sandbox> sandboxes = new LinkedHashMap<>();
  private final Map<String, Map<String, List<String>>> registered = new HashMap<>();
  private final Map<String, Map<String, Map<String, List<String>>>> allocated = new HashMap<>();
  private final Set<String> seen = new java.util.HashSet<>();
  private SharedIndexInformer<Pod> informer;
  private volatile boolean closing;

  private LabRuntime(Lab lab, Path binDir) {
    this.lab = lab;
    this.binDir = binDir;
  }

  /** Installs the shim wrapper in the lab's CNI bin dir and starts watching pods. */
  static LabRuntime start(Lab lab) throws IOException {
    Path wrapper = lab.repoRoot().resolve("agent/src/main/dist/multihome-cni");
    if (!Files.isExecutable(wrapper)) {
      throw new IOException("CNI shim wrapper missing or not executable: " + wrapper);
    }
    Path bin = Files.createDirectories(lab.workDir().resolve("cni-bin"));
    Files.createSymbolicLink(bin.resolve("multihome-cni"), wrapper);
    var runtime = new LabRuntime(lab, bin);
    runtime.informer = lab.client().pods().inAnyNamespace().inform(runtime.handler(), 0);
    return runtime;
  }

  /**
   * Registers device-plugin devices of {@code resource} (e.g. {@code openshift.io/labsriov}) on
   * {@code node}; pods requesting that resource get the next free ones.
   */
  public synchronized void registerDevices(String node, String resource, List<String> ids) {
    registered.computeIfAbsent(node, n -> new TreeMap<>()).put(resource, List.copyOf(ids));
  }

  /** Waits until the pod's sandbox is done (ADD answered, successfully or not). */
  public synchronized Optional<Sandbox> awaitSandbox(String namespace, String name, Duration max)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!sandboxes.containsKey(key(namespace, name))) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        return Optional.empty();
      }
      wait(left);
    }
    return Optional.of(sandboxes.get(key(namespace, name)));
  }

  /** Waits until the pod's sandbox is gone (after the pod was deleted). */
  public synchronized boolean awaitRemoved(String namespace, String name, Duration max)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (sandboxes.containsKey(key(namespace, name))) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }

  public synchronized List<Sandbox> sandboxes() {
    return List.copyOf(sandboxes.values());
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  private ResourceEventHandler<Pod> handler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        maybeRun(pod);
      }

      @Override
      public void onUpdate(Pod oldPod, Pod pod) {
        maybeRun(pod);
      }

      @Override
      public void onDelete(Pod pod, boolean unknown) {
        String k = key(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
        submit(() -> remove(k));
      }
    };
  }

  private void maybeRun(Pod pod) {
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (node == null || !lab.nodes().contains(node)) {
      return;
    }
    synchronized (this) {
      if (!seen.add(pod.getMetadata().getUid())) {
        return;
      }
    }
    submit(() -> run(pod, node));
  }

  private void submit(Runnable task) {
    if (closing) {
      return;
    }
    worker.execute(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            log.warn("lab runtime: {}", e.toString());
          }
        });
  }

  /** ADD: namespace, devices, the shim. */
  private void run(Pod pod, String node) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    String uid = pod.getMetadata().getUid();
    String containerId = UUID.randomUUID().toString().replace("-", "");
    String netns = lab.fabric().newPodNamespace(ns + "-" + name);
    Sandbox sandbox;
    try {
      allocateDevices(pod, node);
      var answer = exec("ADD", node, netns, containerId, ns, name, uid);
      sandbox =
          new Sandbox(
              ns, name, uid, node, netns, containerId, answer.code, answer.stdout, answer.stderr);
    } catch (IOException | RuntimeException e) {
      sandbox = new Sandbox(ns, name, uid, node, netns, containerId, -1, "", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sandbox = new Sandbox(ns, name, uid, node, netns, containerId, -1, "", "interrupted");
    }
    if (!sandbox.ok()) {
      log.warn(
          "sandbox {}/{} on {}: ADD failed: {} {}", ns, name, node, sandbox.result, sandbox.stderr);
    }
    synchronized (this) {
      sandboxes.put(key(ns, name), sandbox);
      notifyAll();
    }
  }

  /** DEL through the shim, then the namespace goes (a failed DEL is logged, not retried). */
  private void remove(String key) {
    Sandbox s;
    synchronized (this) {
      s = sandboxes.get(key);
    }
    if (s == null) {
      return;
    }
    try {
      var answer = exec("DEL", s.node, s.netns, s.containerId, s.namespace, s.name, s.uid);
      if (answer.code != 0) {
        log.warn("sandbox {}: DEL failed: {} {}", key, answer.stdout, answer.stderr);
      }
    } catch (IOException e) {
      log.warn("sandbox {}: DEL: {}", key, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        lab.fabric().deleteNamespace(s.netns);
      } catch (RuntimeException e) {
        log.warn("sandbox {}: deleting {}: {}", key, s.netns, e.toString());
      }
      synchronized (this) {
        sandboxes.remove(key);
        releaseDevices(s.node, s.uid);
        seen.remove(s.uid);
        notifyAll();
      }
    }
  }

  private record Answer(int code, String stdout, String stderr) {}

  /**
   * Execs the plugin as a runtime would: type from the node's conflist, CNI_* env, stdin config.
   */
  private Answer exec(
      String command,
      String node,
      String netns,
      String containerId,
      String ns,
      String name,
      String uid)
      throws IOException, InterruptedException {
    byte[] config = pluginConfig(node);
    String type = JSON.readTree(config).path(PLUGIN_TYPE_KEY).asText();
    Path plugin = binDir.resolve(type);
    if (type.isEmpty() || type.contains("/") || !Files.isExecutable(plugin)) {
      throw new IOException("no CNI plugin '" + type + "' in " + binDir);
    }
    var pb = new ProcessBuilder(plugin.toString());
    var env = pb.environment();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", containerId);
    env.put("CNI_NETNS", Path.of("/run/netns", netns).toString());
    env.put("CNI_IFNAME", "eth0");
    env.put(
        "CNI_ARGS",
        String.join(
            ";",
            "IgnoreUnknown=1",
            "K8S_POD_NAMESPACE=" + ns,
            "K8S_POD_NAME=" + name,
            "K8S_POD_INFRA_CONTAINER_ID=" + containerId,
            "K8S_POD_UID=" + uid));
    env.put("CNI_PATH", binDir + ":" + Lab.CNI_BIN);
    env.put(CniShim.SOCKET_ENV, lab.cniSocket(node).toString());
    env.put("MULTIHOME_HOME", lab.workDir().toString());
    env.put("MULTIHOME_JAVA", javaBinary());
    env.put("MULTIHOME_SHIM_CP", shimClassPath());
    Path err = Files.createTempFile(lab.workDir(), "cni-", ".err");
    pb.redirectError(err.toFile());
    var p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write(config);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("CNI " + command + " for " + ns + "/" + name + " timed out");
    }
    String stderr = Files.readString(err);
    Files.deleteIfExists(err);
    return new Answer(p.exitValue(), out.strip(), stderr.strip());
  }

  /**
   * The first plugin of {@code 00-multihome.conflist} with the list's {@code cniVersion} and {@code
   * name}, as libcni hands it to the plugin.
   */
  private byte[] pluginConfig(String node) throws IOException, InterruptedException {
    Path file = lab.cniConfDir(node).resolve("00-multihome.conflist");
    long deadline = System.nanoTime() + CONF_WAIT.toNanos();
    while (!Files.exists(file)) {
      if (System.nanoTime() > deadline) {
        throw new IOException("no " + file + " (the node's CNI daemon never wrote it)");
      }
      Thread.sleep(50);
    }
    var list = (ObjectNode) JSON.readTree(file.toFile());
    var plugin = (ObjectNode) list.get("plugins").get(0).deepCopy();
    plugin.set("cniVersion", list.get("cniVersion"));
    plugin.set("name", list.get("name"));
    return JSON.writeValueAsBytes(plugin);
  }

  /** Gives the pod free devices of each registered resource its containers request. */
  private synchronized void allocateDevices(Pod pod, String node) throws IOException {
    var resources = registered.getOrDefault(node, Map.of());
    if (resources.isEmpty()) {
      return;
    }
    var used = new ArrayList<String>();
    allocations(node).values().forEach(perResource -> perResource.values().forEach(used::addAll));
    var mine = new TreeMap<String, List<String>>();
    for (Container c : pod.getSpec().getContainers()) {
      if (c.getResources() == null || c.getResources().getRequests() == null) {
        continue;
      }
      for (var req : c.getResources().getRequests().entrySet()) {
        var devices = resources.get(req.getKey());
        if (devices == null) {
          continue;
        }
        int want = req.getValue().getNumericalAmount().intValue();
        var free = devices.stream().filter(d -> !used.contains(d)).limit(want).toList();
        if (free.size() < want) {
          throw new IOException(
              "node " + node + " has no " + want + " free " + req.getKey() + " devices");
        }
        used.addAll(free);
        mine.computeIfAbsent(req.getKey(), r -> new ArrayList<>()).addAll(free);
      }
    }
    if (!mine.isEmpty()) {
      allocations(node).put(pod.getMetadata().getUid(), mine);
      writeCheckpoint(node);
    }
  }

  /** Devices given out on {@code node}: pod UID → resource → device IDs. */
  private Map<String, Map<String, List<String>>> allocations(String node) {
    return allocated.computeIfAbsent(node, n -> new LinkedHashMap<>());
  }

  private synchronized void releaseDevices(String node, String uid) {
    if (allocations(node).remove(uid) != null) {
      try {
        writeCheckpoint(node);
      } catch (IOException e) {
        log.warn("checkpoint of {}: {}", node, e.toString());
      }
    }
  }

  /** The kubelet's device-manager checkpoint format (PodDeviceEntries, RegisteredDevices). */
  private void writeCheckpoint(String node) throws IOException {
    var root = JSON.createObjectNode();
    var data = root.putObject("Data");
    ArrayNode entries = data.putArray("PodDeviceEntries");
    allocations(node)
        .forEach(
            (uid, perResource) ->
                perResource.forEach(
                    (resource, ids) -> {
                      var e = entries.addObject();
                      e.put("PodUID", uid).put("ContainerName", "c").put("ResourceName", resource);
                      var numa = e.putObject("DeviceIDs").putArray("0");
                      ids.forEach(numa::add);
                    }));
    var reg = data.putObject("RegisteredDevices");
    registered.getOrDefault(node, Map.of()).forEach((r, ids) -> ids.forEach(reg.withArray(r)::add));
    root.put("Checksum", 0);
    Path file = lab.kubeletCheckpoint(node);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, JSON.writeValueAsBytes(root));
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** Where the shim class comes from: the agent jar, or agent/target/classes in a build tree. */
  private static String shimClassPath() throws IOException {
    try {
      return Path.of(CniShim.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException | NullPointerException e) {
      throw new IOException("cannot locate the CNI shim's classes: " + e);
    }
  }

  /** DEL for every sandbox still there, then their namespaces go; safe to call twice. */
  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    closing = true;
    worker.shutdown();
    try {
      worker.awaitTermination(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<String> keys;
    synchronized (this) {
      keys = new ArrayList<>(sandboxes.keySet());
    }
    for (var k : keys) {
      remove(k);
    }
  }
}
