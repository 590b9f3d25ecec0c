package io.multihome.agent.cluster.proxy;

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
 * A secondary network in throwaway namespaces ({@code mh-svc-<id>-*}): a bridge in a fabric
 * namespace, pods cabled to it with veths named {@code net1}, each pod also given an {@code eth0}
 * with a default route elsewhere (the cluster network) — so without the proxy's route a cluster IP
 * would leave through eth0. Backends are {@code python3 -m http.server} answering their own name.
 * Everything is removed by {@link #close()}, also after a failure.
 */
final class ProxyNamespaces implements AutoCloseable {

  final String id = UUID.randomUUID().toString().substring(0, 6);
  final String fabric = "mh-svc-" + id + "-fab";
  final String cluster = "mh-svc-" + id + "-cl";
  private final List<String> namespaces = new ArrayList<>();
  private final List<Process> servers = new ArrayList<>();
  private int cable;

  ProxyNamespaces() throws Exception {
    assumeTrue("0".equals(run("id", "-u").strip()), "kernel tests need root (netns creation)");
    assumeTrue(new ProcessBuilder("nft", "--version").start().waitFor() == 0, "nft missing");
    add(fabric);
    add(cluster);
    run("ip", "-n", fabric, "link", "add", "br0", "type", "bridge");
    run("ip", "-n", fabric, "link", "set", "br0", "up");
    run("ip", "-n", cluster, "link", "add", "gw0", "type", "bridge");
    run("ip", "-n", cluster, "addr", "add", "198.19.0.1/24", "dev", "gw0");
    run("ip", "-n", cluster, "addr", "add", "2001:db8:19::1/64", "dev", "gw0", "nodad");
    run("ip", "-n", cluster, "link", "set", "gw0", "up");
  }

  private void add(String ns) throws Exception {
    run("ip", "netns", "add", ns);
    namespaces.add(ns);
    run("ip", "-n", ns, "link", "set", "lo", "up");
  }

  /** A pod namespace with net1 (v4 and v6 on the secondary network) and eth0 (cluster). */
  String pod(String role, String v4, String v6, int clusterHost) throws Exception {
    String ns = "mh-svc-" + id + "-" + role;
    add(ns);
    String c = "v" + id + (cable++);
    run("ip", "-n", fabric, "link", "add", c, "type", "veth", "peer", "name", "net1", "netns", ns);
    run("ip", "-n", fabric, "link", "set", c, "master", "br0", "up");
    run("ip", "-n", ns, "addr", "add", v4 + "/24", "dev", "net1");
    run("ip", "-n", ns, "addr", "add", v6 + "/64", "dev", "net1", "nodad");
    run("ip", "-n", ns, "link", "set", "net1", "up");
    String e = "e" + id + (cable++);
    run("ip", "-n", cluster, "link", "add", e, "type", "veth", "peer", "name", "eth0", "netns", ns);
    run("ip", "-n", cluster, "link", "set", e, "master", "gw0", "up");
    run("ip", "-n", ns, "addr", "add", "198.19.0." + clusterHost + "/24", "dev", "eth0");
    run(
        "ip",
        "-n",
        ns,
        "addr",
        "add",
        "2001:db8:19::" + clusterHost + "/64",
        "dev",
        "eth0",
        "nodad");
    run("ip", "-n", ns, "link", "set", "eth0", "up");
    run("ip", "-n", ns, "route", "add", "default", "via", "198.19.0.1");
    run("ip", "-n", ns, "-6", "route", "add", "default", "via", "2001:db8:19::1");
    return ns;
  }

  /** An HTTP server on port 8080 (all addresses, both families) answering {@code name}. */
  void httpServer(String ns, String name, Path dir) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("index.html"), name);
    var p =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                ns,
                "python3",
                "-m",
                "http.server",
                "8080",
                "--bind",
                "::",
                "--directory",
                dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolveSibling(name + ".log").toFile())
            .start();
    servers.add(p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!name.equals(get(ns, "http://127.0.0.1:8080/"))) {
      if (System.nanoTime() > deadline || !p.isAlive()) {
        throw new IOException("http.server in " + ns + " did not come up");
      }
      Thread.sleep(100); // waiting for another process to listen: no event to wait on
    }
  }

  /** The body of one GET from inside {@code ns}, or "" when it failed (2 s timeout). */
  static String get(String ns, String url) throws Exception {
    var p =
        new ProcessBuilder("ip", "netns", "exec", ns, "curl", "-s", "-g", "--max-time", "2", url)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return p.exitValue() == 0 ? out.strip() : "";
  }

  static String run(String... cmd) throws IOException, InterruptedException {
    var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
    return out;
  }

  static String nftTables(String ns) throws Exception {
    return run("ip", "netns", "exec", ns, "nft", "list", "tables");
  }

  @Override
  public void close() {
    for (Process p : servers) {
      p.destroyForcibly();
      try {
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (int i = namespaces.size() - 1; i >= 0; i--) {
      String ns = namespaces.get(i);
      try {
        run("ip", "netns", "del", ns);
      } catch (Exception e) {
        System.err.println("cannot delete netns " + ns + ": " + e);
      }
    }
  }
}
