package io.multihome.agent.dhcp;

import io.multihome.agent.engine.AutoIp;
import io.multihome.agent.netlink.NetNs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * IPv6 autoconf (SLAAC) done by the kernel, as nmstate's {@code autoconf: true} asks: router
 * advertisements accepted even when the node forwards ({@code accept_ra=2}), addresses made from
 * their prefixes ({@code autoconf=1}), the default route from them only with {@code auto-gateway}
 * ({@code accept_ra_defrtr}), more specific routes only with {@code auto-routes} ({@code
 * accept_ra_rt_info_max_plen}). Turning it off sets {@code accept_ra=0} and {@code autoconf=0} (the
 * addresses it made expire by their lifetimes; the kernel removes its RA routes).
 */
final class Autoconf {
  private Autoconf() {}

  static void apply(Context ctx, String name, AutoIp.V6 v6) {
    var values = new LinkedHashMap<String, String>();
    if (v6.autoconf()) {
      values.put("accept_ra", "2");
      values.put("autoconf", "1");
      values.put("accept_ra_defrtr", v6.autoGateway() && v6.autoRoutes() ? "1" : "0");
      values.put("accept_ra_rt_info_max_plen", v6.autoRoutes() ? "64" : "0");
    } else {
      // DHCPv6 only: the address is the lease's; RAs are not followed (NetworkManager's "dhcp").
      values.put("accept_ra", "0");
      values.put("autoconf", "0");
    }
    write(ctx.netns(), name, values);
  }

  static void off(Context ctx, String name) {
    var values = new LinkedHashMap<String, String>();
    values.put("accept_ra", "0");
    values.put("autoconf", "0");
    try {
      write(ctx.netns(), name, values);
    } catch (RuntimeException e) {
      // The interface may be gone with the plan that turned autoconf off.
    }
  }

  /** Reads {@code net.ipv6.conf.<name>.<key>} inside the namespace (tests, status). */
  static String read(String netns, String name, String key) {
    java.util.concurrent.Callable<String> task =
        () -> Files.readString(Path.of("/proc/sys/net/ipv6/conf", name, key)).strip();
    try {
      if (netns == null) {
        return task.call();
      }
      try (var ns = NetNs.named(netns)) {
        return ns.call(task);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void write(String netns, String name, Map<String, String> values) {
    Runnable task =
        () -> {
          for (var e : values.entrySet()) {
            var file = Path.of("/proc/sys/net/ipv6/conf", name, e.getKey());
            try {
              if (Files.exists(file)) {
                Files.writeString(file, e.getValue(), StandardCharsets.US_ASCII);
              }
            } catch (IOException ex) {
              throw new UncheckedIOException("sysctl " + file + ": " + ex.getMessage(), ex);
            }
          }
        };
    if (netns == null) {
      task.run();
      return;
    }
    try (var ns = NetNs.named(netns)) {
      ns.call(
          () -> {
            task.run();
            return null;
          });
    }
  }
}
