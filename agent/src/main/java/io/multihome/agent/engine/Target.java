package io.multihome.agent.engine;

import io.multihome.agent.netlink.NetNs;
import io.multihome.agent.netlink.RtNetlink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the engine works: a named network namespace ({@code ip netns add NAME}) or, with a null
 * name, the namespace the process runs in. Opens netlink there and writes IPv6 sysctls there.
 */
public record Target(String netns) {

  public static Target of(String netns) {
    return new Target(netns == null || netns.isEmpty() ? null : netns);
  }

  /** For file names and messages: the namespace name, or {@code host}. */
  public String label() {
    return netns == null ? "host" : netns;
  }

  public RtNetlink open() {
    return netns == null ? RtNetlink.open() : RtNetlink.openNamed(netns);
  }

  /**
   * Sets {@code net.ipv6.conf.<link>.disable_ipv6} for each entry, inside the namespace: the value
   * netlink cannot set. One namespace switch for the whole batch.
   */
  public void writeDisableIpv6(Map<String, Boolean> disabled) {
    if (disabled.isEmpty()) {
      return;
    }
    Runnable write =
        () -> {
          for (var e : disabled.entrySet()) {
            var file = Path.of("/proc/sys/net/ipv6/conf", e.getKey(), "disable_ipv6");
            try {
              Files.writeString(file, e.getValue() ? "1" : "0", StandardCharsets.US_ASCII);
            } catch (IOException ex) {
              throw new UncheckedIOException("sysctl " + file + ": " + ex.getMessage(), ex);
            }
          }
        };
    if (netns == null) {
      write.run();
      return;
    }
    try (var ns = NetNs.named(netns)) {
      ns.call(
          () -> {
            write.run();
            return null;
          });
    }
  }
}
