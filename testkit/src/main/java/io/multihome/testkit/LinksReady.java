package io.multihome.testkit;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Waits for links a test just set up to be ready: operationally {@code UP} with their IPv6
 * link-local address. The kernel does both asynchronously after {@code ip link set X up} (linkwatch
 * sets the operational state, then addrconf adds {@code fe80::}), and on a loaded machine that can
 * land after a test's first snapshot of the namespace — which then differs from every later one by
 * a carrier the test did not cause. Fixtures call this before handing the namespace to a test.
 */
public final class LinksReady {
  private LinksReady() {}

  /** Waits (up to 30 s) until each of {@code links} in {@code netns} is UP with a link-local. */
  public static void awaitUp(String netns, String... links) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(
            () -> {
              var pending = pending(ip("-n", netns, "-br", "addr", "show"), List.of(links));
              if (!pending.isEmpty()) {
                throw new AssertionError("links in " + netns + " not ready: " + pending);
              }
            });
  }

  /**
   * The {@code links} that are not ready in {@code ip -br addr show} output (lines {@code
   * NAME[@PEER] STATE ADDRESS...}), each with its line or "missing".
   */
  static List<String> pending(String brief, List<String> links) {
    var out = new ArrayList<String>();
    for (var link : links) {
      String line = null;
      for (var l : brief.split("\n")) {
        var name = l.strip().split("\\s+")[0];
        int at = name.indexOf('@');
        if ((at < 0 ? name : name.substring(0, at)).equals(link)) {
          line = l.strip();
        }
      }
      if (line == null) {
        out.add(link + ": missing");
        continue;
      }
      var fields = line.split("\\s+");
      boolean up = fields.length > 1 && fields[1].equals("UP");
      boolean linkLocal = false;
      for (int i = 2; i < fields.length; i++) {
        linkLocal |= fields[i].startsWith("fe80:");
      }
      if (!up || !linkLocal) {
        out.add(line);
      }
    }
    return out;
  }

  private static String ip(String... args) {
    var cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    return Commands.run(cmd, Duration.ofSeconds(30));
  }
}
