package io.multihome.agent.cni.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Execs plugin binaries as child processes. With a {@code nodeNetns} the plugin runs inside that
 * network namespace (via {@code nsenter --net}), which is where plugins such as bridge create their
 * host-side devices: production passes none (the agent runs in the host namespace), the lab and the
 * kernel tests pass the namespace standing in for the node.
 */
public final class ProcessPluginExecutor implements PluginExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessPluginExecutor.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  // Pipe readers block; the common pool has one thread on a 2-core node, so they get their own.
  private static final java.util.concurrent.ExecutorService PIPES =
      java.util.concurrent.Executors.newCachedThreadPool(
          r -> {
            var t = new Thread(r, "cni-plugin-pipe");
            t.setDaemon(true);
            return t;
          });

  private final Path nodeNetns;
  private final Duration timeout;
  private final java.util.Map<String, String> extraEnv;

  public ProcessPluginExecutor(Path nodeNetns, Duration timeout) {
    this(nodeNetns, timeout, java.util.Map.of());
  }

  /**
   * @param extraEnv added to every plugin's environment: a plugin that execs the agent's own {@code
   *     whereabouts} shim as its IPAM passes it on, so the shim finds this daemon's IPAM socket
   *     ({@code MULTIHOME_IPAM_SOCKET}; the lab also sets where the shim's JVM is)
   */
  public ProcessPluginExecutor(
      Path nodeNetns, Duration timeout, java.util.Map<String, String> extraEnv) {
    this.nodeNetns = nodeNetns;
    this.timeout = timeout;
    this.extraEnv = java.util.Map.copyOf(extraEnv);
  }

  public static ProcessPluginExecutor inHostNamespace() {
    return new ProcessPluginExecutor(null, Duration.ofSeconds(60));
  }

  @Override
  public byte[] exec(String type, CniInvocation invocation, byte[] stdin) throws CniException {
    Path binary = findPlugin(type, invocation.cniPath());
    var command = new ArrayList<String>();
    if (nodeNetns != null) {
      command.addAll(List.of("nsenter", "--net=" + nodeNetns, "--"));
    }
    command.add(binary.toString());
    var builder = new ProcessBuilder(command);
    var env = builder.environment();
    String path = env.get("PATH");
    env.clear();
    env.put("PATH", path == null ? "/usr/sbin:/usr/bin:/sbin:/bin" : path);
    env.putAll(extraEnv);
    put(env, "CNI_COMMAND", invocation.command().name());
    put(env, "CNI_CONTAINERID", invocation.containerId());
    put(env, "CNI_NETNS", invocation.netns());
    put(env, "CNI_IFNAME", invocation.ifname());
    put(env, "CNI_ARGS", invocation.args());
    put(env, "CNI_PATH", invocation.cniPathValue());
    long start = System.nanoTime();
    try {
      Process process = builder.start();
      var stdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()), PIPES);
      var stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()), PIPES);
      try (var in = process.getOutputStream()) {
        in.write(stdin);
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new CniException(
            CniException.TRY_AGAIN_LATER,
            "plugin " + type + " " + invocation.command() + " did not finish within " + timeout);
      }
      byte[] out = stdout.join();
      String err = new String(stderr.join(), StandardCharsets.UTF_8).strip();
      LOG.debug(
          "{} {} ifname={} exit={} in {} ms",
          type,
          invocation.command(),
          invocation.ifname(),
          process.exitValue(),
          (System.nanoTime() - start) / 1_000_000);
      if (process.exitValue() != 0) {
        throw pluginError(type, invocation, out, err, process.exitValue());
      }
      return out;
    } catch (IOException e) {
      throw new CniException(CniException.IO_FAILURE, "cannot run plugin " + binary + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CniException(CniException.TRY_AGAIN_LATER, "interrupted running " + type);
    }
  }

  /**
   * Finds {@code type} in CNI_PATH, else the binary it is an alias of ({@link PluginAliases}:
   * {@code cnv-bridge} → {@code bridge}, {@code cnv-tuning} → {@code tuning}). A type with a path
   * separator is refused before any look-up: otherwise a NAD author could run any binary on the
   * node (CVE-2021-20206).
   */
  public static Path findPlugin(String type, List<Path> cniPath) throws CniException {
    findPluginNameOnly(type);
    Path found = find(type, cniPath);
    if (found != null) {
      return found;
    }
    var alias = PluginAliases.target(type);
    if (alias.isPresent()) {
      found = find(alias.get(), cniPath);
      if (found != null) {
        return found;
      }
      throw new CniException(
          CniException.INVALID_CONFIG,
          "failed to find plugin \""
              + type
              + "\" or the plugin it stands for, \""
              + alias.get()
              + "\", in path "
              + cniPath);
    }
    throw new CniException(
        CniException.INVALID_CONFIG, "failed to find plugin \"" + type + "\" in path " + cniPath);
  }

  private static Path find(String name, List<Path> cniPath) {
    for (Path dir : cniPath) {
      Path candidate = dir.resolve(name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** Checks that {@code type} is a bare binary name. */
  public static void findPluginNameOnly(String type) throws CniException {
    if (type == null || type.isEmpty()) {
      throw new CniException(CniException.INVALID_CONFIG, "plugin \"type\" is missing");
    }
    if (type.contains("/") || type.contains("\\") || type.equals("..") || type.equals(".")) {
      throw new CniException(
          CniException.INVALID_CONFIG,
          "plugin type \""
              + type
              + "\" contains a path separator; only binary names found in CNI_PATH are allowed"
              + " (CVE-2021-20206)");
    }
  }

  private static CniException pluginError(
      String type, CniInvocation invocation, byte[] out, String stderr, int exit) {
    String what = "plugin " + type + " " + invocation.command();
    try {
      JsonNode error = JSON.readTree(out);
      if (error != null && error.has("code")) {
        return new CniException(
            error.path("code").asInt(999),
            what + " failed: " + error.path("msg").asText(),
            error.path("details").asText(""));
      }
    } catch (IOException notJson) {
      // fall through: plugins that crash print no error object
    }
    String text = new String(out, StandardCharsets.UTF_8).strip();
    return new CniException(
        999, what + " exited " + exit + ": " + (text.isEmpty() ? stderr : text), stderr);
  }

  private static void put(java.util.Map<String, String> env, String key, String value) {
    if (value != null) {
      env.put(key, value);
    }
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
