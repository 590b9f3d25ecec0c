package io.multihome.agent.netlink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Creates and deletes named namespaces (for tests and the lab) by delegating to {@code ip netns
 * add/del}. Why delegate: a named namespace is an nsfs bind mount under /var/run/netns, and
 * iproute2 also makes that directory a shared mount point, unshares on a throwaway thread and
 * cleans up half-made mounts. Redoing that mount dance over jnr-ffi (unshare, mount with
 * MS_BIND/MS_SHARED/MS_REC) would add more risk than it saves for a step that is not on any hot
 * path. Everything inside the namespace is done through netlink.
 */
public final class NamedNetns {
  private NamedNetns() {}

  public static void create(String name) {
    ip("netns", "add", name);
  }

  public static void delete(String name) {
    ip("netns", "del", name);
  }

  public static boolean exists(String name) {
    return new java.io.File(NetNs.NAMED_DIR + name).exists();
  }

  private static void ip(String... args) {
    var cmd = new java.util.ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(String.join(" ", cmd) + " interrupted", e);
    }
  }
}
