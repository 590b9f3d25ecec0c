package io.multihome.agent.cni.cluster;

import io.multihome.agent.cni.daemon.CniDaemon;
import io.multihome.agent.cni.ipam.IpamDaemon;
import io.multihome.agent.cni.nad.NamespacePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The attachment daemon's settings for tests against the mock API server: everything under {@code
 * tmp}, no node namespace, no runtime conf dir, no DHCP daemon, short timeouts.
 */
public final class MockApiCni {
  private MockApiCni() {}

  public static CniDaemon.Settings settings(Path tmp) {
    return new CniDaemon.Settings(
        tmp.resolve("cni.sock"),
        tmp.resolve("state"),
        List.of(tmp.resolve("bin")),
        tmp.resolve("multus.d"),
        NamespacePolicy.open(),
        "kube-system",
        null,
        4,
        Duration.ofSeconds(5),
        Duration.ofSeconds(1),
        Map.of());
  }

  /** Serving the NADs of {@code nadNamespaces} (empty: all), with the given IPAM settings. */
  public static CniCluster.Options options(
      Path tmp, List<String> nadNamespaces, Duration podWait, IpamDaemon.Options ipam) {
    return new CniCluster.Options(
        nadNamespaces,
        podWait,
        tmp.resolve("checkpoint"),
        tmp.resolve("sys"),
        null,
        null,
        null,
        Duration.ofSeconds(30),
        null,
        ipam);
  }
}
