package io.multihome.lab.kubelet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.agent.cni.shim.CniShim;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The container runtime's CNI side: execs the plugin named by the node's {@code
 * 00-multihome.conflist} exactly as CRI-O/containerd do through libcni — looked up in the CNI bin
 * dirs, {@code CNI_*} in the environment, the list's first plugin config (with the list's {@code
 * cniVersion} and {@code name}) on stdin — and turns a failure into libcni's error text.
 */
final class CniRuntime {
  static final String CONFLIST = "00-multihome.conflist";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_S = 60;

  /** The node's CNI network as the runtime loaded it. */
  record NetworkConf(String name, String type, byte[] pluginConfig) {}

  /** One plugin call: exit code, stdout (the result), stderr, and libcni's error text if any. */
  record Outcome(int exitCode, String stdout, String stderr, String error) {
    boolean ok() {
      return error == null;
    }
  }

  /** The pod a call is for. */
  record Target(String namespace, String pod, String uid, String netns, String containerId) {}

  private final LabHost host;
  private final Path binDir;

  private CniRuntime(LabHost host, Path binDir) {
    this.host = host;
    this.binDir = binDir;
  }

  /** Links the shim wrapper into a bin dir of the lab's own ({@code <workdir>/cni-bin}). */
  static CniRuntime install(LabHost host) throws IOException {
    Path wrapper = ShimLaunch.wrapper(host.repoRoot());
    if (!Files.isExecutable(wrapper)) {
      throw new IOException("CNI shim wrapper missing or not executable: " + wrapper);
    }
    Path bin = Files.createDirectories(host.workDir().resolve("cni-bin"));
    Files.createSymbolicLink(bin.resolve("multihome-cni"), wrapper);
    return new CniRuntime(host, bin);
  }

  Path binDir() {
    return binDir;
  }

  Path confDir(String node) {
    return host.cniConfDir(node);
  }

  /** The node's network, or empty while its CNI daemon has not written the conflist. */
  Optional<NetworkConf> networkConf(String node) throws IOException {
    Path file = host.cniConfDir(node).resolve(CONFLIST);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    var list = (ObjectNode) JSON.readTree(file.toFile());
    var plugin = (ObjectNode) list.get("plugins").get(0).deepCopy();
    plugin.set("cniVersion", list.get("cniVersion"));
    plugin.set("name", list.get("name"));
    return Optional.of(
        new NetworkConf(
            list.path("name").asText(),
            plugin.path("type").asText(),
            JSON.writeValueAsBytes(plugin)));
  }

  /** ADD or DEL for {@code target} on {@code node}. */
  Outcome exec(String command, String node, NetworkConf conf, Target target)
      throws IOException, InterruptedException {
    List<Path> path = List.of(binDir, host.cniPluginDir());
    String type = conf.type();
    Optional<Path> plugin =
        type.isEmpty() || type.contains("/")
            ? Optional.empty()
            : path.stream().map(d -> d.resolve(type)).filter(Files::isExecutable).findFirst();
    if (plugin.isEmpty()) {
      return new Outcome(
          -1, "", "", CriMessages.pluginNotFound(type, path.stream().map(Path::toString).toList()));
    }
    var pb = new ProcessBuilder(plugin.get().toString());
    var env = pb.environment();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", target.containerId());
    env.put("CNI_NETNS", Path.of("/run/netns", target.netns()).toString());
    env.put("CNI_IFNAME", "eth0");
    env.put(
        "CNI_ARGS",
        String.join(
            ";",
            "IgnoreUnknown=1",
            "K8S_POD_NAMESPACE=" + target.namespace(),
            "K8S_POD_NAME=" + target.pod(),
            "K8S_POD_INFRA_CONTAINER_ID=" + target.containerId(),
            "K8S_POD_UID=" + target.uid()));
    env.put("CNI_PATH", binDir + ":" + host.cniPluginDir());
    env.put(CniShim.SOCKET_ENV, host.cniSocket(node).toString());
    env.putAll(ShimLaunch.environment(host.workDir()));
    Path err = Files.createTempFile(host.workDir(), "cni-", ".err");
    try {
      pb.redirectError(err.toFile());
      var p = pb.start();
      try (var in = p.getOutputStream()) {
        in.write(conf.pluginConfig());
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Outcome(-1, out, "", "netplugin timed out after " + TIMEOUT_S + "s");
      }
      String stderr = Files.readString(err).strip();
      int code = p.exitValue();
      return new Outcome(
          code, out, stderr, code == 0 ? null : CriMessages.pluginError(code, out, stderr));
    } finally {
      Files.deleteIfExists(err);
    }
  }
}
