package io.multihome.agent.cni;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway network namespaces for kernel tests: a "node" namespace where plugins run (bridges,
 * macvlan masters live there) and "pod" namespaces. All named {@code mh-cni2-*}, removed by {@link
 * #close()} even when the test failed. Nothing ever runs in the root namespace.
 */
public final class KernelFixture implements AutoCloseable {

  public static final Path CNI_BIN = Path.of("/usr/lib/cni");

  private final List<String> namespaces = new ArrayList<>();
  private final String prefix;
  public final String node;

  public KernelFixture() throws Exception {
    this("mh-cni2");
  }

  /**
   * @param prefix namespace name prefix, e.g. {@code mh-cnw}
   */
  public KernelFixture(String prefix) throws Exception {
    this.prefix = prefix;
    assumeTrue(
        "0".equals(run(List.of("id", "-u")).strip()), "kernel tests need root (netns creation)");
    assumeTrue(Files.isExecutable(CNI_BIN.resolve("bridge")), "CNI plugins missing in " + CNI_BIN);
    node = newNamespace("node");
  }

  public String newNamespace(String role) throws Exception {
    String name = prefix + "-" + role + "-" + UUID.randomUUID().toString().substring(0, 8);
    run(List.of("ip", "netns", "add", name));
    namespaces.add(name);
    run(List.of("ip", "-n", name, "link", "set", "lo", "up"));
    return name;
  }

  /** Deletes a namespace early, as a runtime does after a sandbox's DEL (or after a crash). */
  public void delete(String namespace) throws Exception {
    run(List.of("ip", "netns", "del", namespace));
    namespaces.remove(namespace);
  }

  public static Path path(String namespace) {
    return Path.of("/run/netns", namespace);
  }

  /** Runs {@code ip} inside a namespace and returns its output. */
  public String ip(String namespace, String... args) throws Exception {
    var cmd = new ArrayList<>(List.of("ip", "-n", namespace));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  public boolean ping(String from, String address) throws Exception {
    return ping(from, address, null);
  }

  /** One ICMP echo; {@code source} binds the source address (needed where sbr rules apply). */
  public boolean ping(String from, String address, String source) throws Exception {
    var cmd = new ArrayList<>(List.of("ip", "netns", "exec", from, "ping", "-c", "1", "-W", "1"));
    if (source != null) {
      cmd.addAll(List.of("-I", source));
    }
    cmd.add(address);
    var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    p.waitFor(10, TimeUnit.SECONDS);
    return p.exitValue() == 0;
  }

  /** Interface names in a namespace. */
  public List<String> links(String namespace) throws Exception {
    var names = new ArrayList<String>();
    for (String line : ip(namespace, "-o", "link", "show").split("\n")) {
      String[] parts = line.split(": ");
      if (parts.length > 1) {
        names.add(parts[1].split("@")[0]);
      }
    }
    return names;
  }

  public static String run(List<String> cmd) throws IOException, InterruptedException {
    var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(cmd + " failed: " + out);
    }
    return out;
  }

  @Override
  public void close() {
    for (String ns : namespaces) {
      try {
        run(List.of("ip", "netns", "del", ns));
      } catch (Exception e) {
        System.err.println("cannot delete netns " + ns + ": " + e);
      }
    }
  }
}
