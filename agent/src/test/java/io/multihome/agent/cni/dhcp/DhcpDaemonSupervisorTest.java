package io.multihome.agent.cni.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor with a stand-in for {@code dhcp daemon}: a script that, like the Go daemon,
 * refuses to start on an existing socket file, listens on {@code -socketpath}, logs each start, and
 * either serves or exits at once (the file {@code mode}).
 */
class DhcpDaemonSupervisorTest {

  private static final String FAKE =
      """
      #!/usr/bin/env python3
      import os, socket, sys, time
      here = os.path.dirname(os.path.abspath(sys.argv[0]))
      assert sys.argv[1] == "daemon" and sys.argv[2] == "-socketpath"
      path = sys.argv[3]
      with open(os.path.join(here, "starts.log"), "a") as log:
          log.write("%d\\n" % time.monotonic_ns())
      if os.path.exists(path):
          print("listen unix %s: bind: address already in use" % path); sys.exit(1)
      s = socket.socket(socket.AF_UNIX); s.bind(path); s.listen(8)
      if open(os.path.join(here, "mode")).read().strip() == "exit":
          print("giving up"); sys.exit(3)
      while True:
          c, _ = s.accept(); c.close()
      """;

  @TempDir Path dir;
  private DhcpDaemonSupervisor supervisor;

  @AfterEach
  void tearDown() {
    if (supervisor != null) {
      supervisor.close();
    }
  }

  private DhcpDaemonSupervisor.Settings settings(String mode, Duration min, Duration max)
      throws Exception {
    Path binary = dir.resolve("dhcp");
    Files.writeString(binary, FAKE);
    Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(dir.resolve("mode"), mode);
    return DhcpDaemonSupervisor.Settings.defaults(List.of(dir))
        .orElseThrow()
        .withSocket(dir.resolve("run/dhcp.sock"))
        .withBackoff(min, max, Duration.ofSeconds(60));
  }

  private List<Long> startTimes() throws Exception {
    Path log = dir.resolve("starts.log");
    var times = new ArrayList<Long>();
    if (Files.exists(log)) {
      Files.readAllLines(log).forEach(l -> times.add(Long.parseLong(l.strip())));
    }
    return times;
  }

  @Test
  void theDefaultsFindDhcpInCniPathAndUseTheReferenceSocket() throws Exception {
    assertThat(DhcpDaemonSupervisor.Settings.defaults(List.of(dir))).isEmpty();
    var s = settings("serve", Duration.ofMillis(100), Duration.ofSeconds(1));
    assertThat(DhcpDaemonSupervisor.Settings.defaults(List.of(dir.resolve("none"), dir)))
        .hasValueSatisfying(
            d -> {
              assertThat(d.binary()).isEqualTo(s.binary());
              assertThat(d.socket()).isEqualTo(Path.of("/run/cni/dhcp.sock"));
              assertThat(d.netns()).isNull();
            });
  }

  @Test
  void aKilledDaemonIsRestartedAndCloseStopsIt() throws Exception {
    supervisor =
        DhcpDaemonSupervisor.start(
            settings("serve", Duration.ofMillis(100), Duration.ofSeconds(1)));
    await().atMost(Duration.ofSeconds(10)).until(supervisor::serving);
    assertThat(supervisor.starts()).isEqualTo(1);
    long first = supervisor.pid().orElseThrow();

    ProcessHandle.of(first).orElseThrow().destroyForcibly();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> supervisor.starts() == 2 && supervisor.serving());
    long second = supervisor.pid().orElseThrow();
    assertThat(second).isNotEqualTo(first);

    supervisor.close();
    assertThat(ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(dir.resolve("run/dhcp.sock")).doesNotExist();
    assertThat(supervisor.starts()).isEqualTo(2);
  }

  @Test
  void restartsBackOffDoublingUpToTheCeiling() throws Exception {
    // Waits 100, 200, 200, 200 ms; without the ceiling the fourth would be 800 ms. The schedule is
    // read from the supervisor: the wall-clock gaps between starts also hold the daemon's own run
    // time (a Python start takes a second on a loaded machine), so they only bound it from below.
    supervisor =
        DhcpDaemonSupervisor.start(
            settings("exit", Duration.ofMillis(100), Duration.ofMillis(200)));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> startTimes().size() >= 5 && supervisor.restarts().size() >= 4);
    var restarts = supervisor.restarts().subList(0, 4);
    assertThat(restarts).extracting(DhcpDaemonSupervisor.Restart::exitCode).containsOnly(3);
    assertThat(restarts)
        .extracting(r -> r.delay().toMillis())
        .containsExactly(100L, 200L, 200L, 200L);
    var t = startTimes();
    for (int i = 0; i < 4; i++) {
      assertThat((t.get(i + 1) - t.get(i)) / 1_000_000)
          .as("ms between start %d and %d", i + 1, i + 2)
          .isGreaterThanOrEqualTo(restarts.get(i).delay().toMillis());
    }
  }

  @Test
  void aStaleSocketFileIsRemovedBeforeTheDaemonStarts() throws Exception {
    var s = settings("serve", Duration.ofMillis(100), Duration.ofSeconds(1));
    Files.createDirectories(s.socket().getParent());
    Files.writeString(s.socket(), "left by a daemon that died");
    supervisor = DhcpDaemonSupervisor.start(s);
    await().atMost(Duration.ofSeconds(10)).until(supervisor::serving);
    assertThat(supervisor.starts()).isEqualTo(1);
  }

  @Test
  void aDaemonAlreadyServingTheSocketIsLeftAloneUntilItGoes() throws Exception {
    var s = settings("serve", Duration.ofMillis(100), Duration.ofSeconds(1));
    Files.createDirectories(s.socket().getParent());
    var other = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    other.bind(UnixDomainSocketAddress.of(s.socket()));
    try {
      supervisor = DhcpDaemonSupervisor.start(s);
      await().atMost(Duration.ofSeconds(5)).until(supervisor::adopted);
      await().during(Duration.ofSeconds(1)).until(() -> supervisor.starts() == 0);
    } finally {
      other.close();
      Files.deleteIfExists(s.socket());
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> supervisor.starts() == 1 && supervisor.serving());
    assertThat(supervisor.adopted()).isFalse();
  }
}
