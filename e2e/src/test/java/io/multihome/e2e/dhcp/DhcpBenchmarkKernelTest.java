package io.multihome.e2e.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multihome.agent.engine.ApplyOptions;
import io.multihome.agent.engine.ApplyResult;
import io.multihome.state.StateParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark (opt-in: {@code -Dmultihome.bench=true}, see docs/benchmarks.md): {@code apply} of
 * {@code eth1: dhcp: true} until the engine returns Applied with the lease verified, against
 * dnsmasq in a namespace, repeated; each time the client's own exchange (first DHCPDISCOVER to
 * DHCPACK: the server's answer time) is subtracted, what is left is what the engine and the agent
 * add. Between runs the lease is released (dhcp: false) so each run acquires anew. The JVM's first
 * such apply (class loading, JIT) is reported apart. Run once with dnsmasq's defaults (it pings an
 * offered address for 3 s first) and once with {@code --no-ping}.
 */
class DhcpBenchmarkKernelTest {
  private static final Logger log = LoggerFactory.getLogger(DhcpBenchmarkKernelTest.class);
  private static final int RUNS = 10;
  private static final String ON =
      "interfaces: [{name: eth1, type: ethernet, state: up, ipv4: {enabled: true, dhcp: true}}]";

  @TempDir Path tmp;

  @Test
  void applyToVerifiedLease() throws Exception {
    assumeTrue(Boolean.getBoolean("multihome.bench"), "benchmark: run with -Dmultihome.bench=true");
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/dnsmasq")), "dnsmasq is not installed");
    for (boolean ping : List.of(true, false)) {
      try (var lab = new DhcpLab(Files.createTempDirectory(tmp, "run"))) {
        var settings = DhcpLab.settings(lab.server.name(), Duration.ofMinutes(10));
        lab.serve(ping ? settings : settings.withOptions("--no-ping"));
        var engine = lab.agent();
        var on = StateParser.parse(ON).state();
        var off = StateParser.parse(ON.replace("dhcp: true", "dhcp: false")).state();
        var totals = new ArrayList<Long>();
        var servers = new ArrayList<Long>();
        var overheads = new ArrayList<Long>();
        long[] first = null;
        for (int i = -1; i < RUNS; i++) {
          long t0 = System.nanoTime();
          var r = engine.apply(on, ApplyOptions.defaults());
          long total = (System.nanoTime() - t0) / 1_000_000;
          assertThat(r).isInstanceOf(ApplyResult.Applied.class);
          long server = lab.dhcp.status().get("eth1").exchange4Millis();
          if (i < 0) {
            // The JVM's first apply with DHCP (class loading, JIT): reported apart.
            first = new long[] {total, server};
          } else {
            totals.add(total);
            servers.add(server);
            overheads.add(total - server);
          }
          assertThat(engine.apply(off, ApplyOptions.defaults()))
              .isInstanceOf(ApplyResult.Applied.class);
        }
        log.info(
            "BENCH dhcp ({}): apply -> verified lease over {} runs: total median {} ms (max {});"
                + " server's answer (DISCOVER..ACK) median {} ms; engine+agent overhead median {}"
                + " ms, max {} ms; first apply of the JVM {} ms of which server {} ms; load"
                + " average {}",
            ping ? "dnsmasq defaults, ping check" : "dnsmasq --no-ping",
            RUNS,
            median(totals),
            Collections.max(totals),
            median(servers),
            median(overheads),
            Collections.max(overheads),
            first[0],
            first[1],
            Files.readString(Path.of("/proc/loadavg")).strip());
        // The target (issue 19): < 1 s beyond the server's answer time; figures in benchmarks.md.
        assertThat(median(overheads)).as("overhead beyond the server").isLessThan(1000);
      }
    }
  }

  private static long median(List<Long> v) {
    var s = new ArrayList<>(v);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }
}
