package io.multihome.agent.cni.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.agent.cni.nad.InMemoryNetworkSource;
import io.multihome.agent.cni.shim.CniShim;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CniDaemonTest {

  @TempDir Path tmp;

  @Test
  void concurrentRequestsAreCappedAndAllAnswered() throws Exception {
    var inFlight = new AtomicInteger();
    var peak = new AtomicInteger();
    PodSource slowPods =
        (ns, name) -> {
          peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          try {
            TimeUnit.MILLISECONDS.sleep(150); // stands in for delegate work
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            inFlight.decrementAndGet();
          }
          return Optional.empty(); // pod gone: empty success, no plugins needed
        };
    Path cluster = tmp.resolve("10-cluster.conflist");
    Files.writeString(
        cluster, "{\"cniVersion\":\"1.0.0\",\"name\":\"c\",\"plugins\":[{\"type\":\"x\"}]}");
    String config =
        "{\"cniVersion\":\"1.0.0\",\"name\":\"m\",\"clusterNetwork\":\"" + cluster + "\"}";
    var base = CniDaemon.Settings.defaults();
    var settings =
        new CniDaemon.Settings(
            tmp.resolve("run/cni.sock"),
            tmp.resolve("state"),
            List.of(tmp),
            tmp.resolve("net.d"),
            base.namespacePolicy(),
            "kube-system",
            null,
            3,
            base.pluginTimeout(),
            base.readinessTimeout(),
            Map.of());
    try (var daemon =
        CniDaemon.start(settings, new InMemoryNetworkSource(), slowPods, (p, s) -> {})) {
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(settings.socket())))
          .isEqualTo("rw-------");
      var pool = Executors.newFixedThreadPool(12);
      var results = new ArrayList<Future<String>>();
      for (int i = 0; i < 12; i++) {
        int n = i;
        results.add(
            pool.submit(
                () -> {
                  var env = new HashMap<String, String>();
                  env.put("CNI_COMMAND", "ADD");
                  env.put("CNI_CONTAINERID", "c" + n);
                  env.put("CNI_NETNS", "/run/netns/x");
                  env.put("CNI_IFNAME", "eth0");
                  env.put("CNI_ARGS", "K8S_POD_NAMESPACE=a;K8S_POD_NAME=p" + n);
                  env.put(CniShim.SOCKET_ENV, settings.socket().toString());
                  var out = new ByteArrayOutputStream();
                  int code =
                      CniShim.run(
                          env, config.getBytes(StandardCharsets.UTF_8), new PrintStream(out));
                  return code + " " + out.toString(StandardCharsets.UTF_8);
                }));
      }
      for (var f : results) {
        assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo("0 {\"cniVersion\":\"1.0.0\"}");
      }
      pool.shutdown();
      assertThat(peak.get()).isEqualTo(3);
    }
    assertThat(settings.socket()).doesNotExist();
  }
}
