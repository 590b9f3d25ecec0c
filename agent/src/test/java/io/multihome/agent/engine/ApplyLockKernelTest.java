package io.multihome.agent.engine;

import static io.multihome.agent.engine.EngineAssertions.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One apply at a time per node ({@link ApplyLock}): an apply by another process (the agent and a
 * {@code multihome apply} by hand) or another thread makes a second one wait, and refuse before it
 * changes anything when its timeout runs out; one that waited plans again against what the first
 * left.
 */
@Timeout(60)
class ApplyLockKernelTest extends EngineNetnsTestBase {
  private static final String ADDRESS =
      "interfaces: [{name: eth1, type: ethernet, ipv4: {enabled: true, address: [{ip: 198.18.94.1,"
          + " prefix-length: 24}]}}]";

  private Path lockFile() {
    return new CheckpointStore(ns.stateDir).lockFor(ns.target());
  }

  private static ApplyOptions within(Duration timeout, EngineHooks hooks) {
    return new ApplyOptions(true, true, timeout, List.of(), hooks);
  }

  @Test
  void anApplyHeldByAnotherProcessIsWaitedForThenRefusedUnchanged() throws Exception {
    // python's lockf is a POSIX record lock, as the JVM's FileChannel lock is on Linux.
    var holder =
        new ProcessBuilder(
                "python3",
                "-c",
                "import fcntl, sys, time, os\n"
                    + "os.makedirs(os.path.dirname(sys.argv[1]), exist_ok=True)\n"
                    + "f = open(sys.argv[1], 'a')\n"
                    + "fcntl.lockf(f, fcntl.LOCK_EX)\n"
                    + "print('locked', flush=True)\n"
                    + "time.sleep(60)\n",
                lockFile().toString())
            .redirectErrorStream(true)
            .start();
    try {
      var out =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("locked");
      var start = ns.settled();

      assertThatThrownBy(
              () -> engine.apply(state(ADDRESS), within(Duration.ofSeconds(1), EngineHooks.NONE)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("another apply on this node holds " + lockFile())
          .hasMessageContaining("nothing was changed");
      assertThat(ns.settled()).isEqualTo(start);
    } finally {
      holder.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    // The lock goes with the process that held it.
    assertThat(engine.apply(state(ADDRESS), ApplyOptions.defaults()))
        .isInstanceOf(ApplyResult.Applied.class);
    assertThat(ns.ip("addr", "show", "eth1")).contains("198.18.94.1/24");
  }

  @Test
  void twoAppliesInOneJvmTakeTurnsAndTheSecondPlansAgainstWhatTheFirstLeft() throws Exception {
    var inside = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    var holding =
        new EngineHooks() {
          @Override
          public void afterApply(Target target) {
            inside.countDown();
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    var pool = Executors.newFixedThreadPool(2);
    try (var second = ns.engine()) {
      var first =
          pool.submit(() -> engine.apply(state(ADDRESS), within(Duration.ofSeconds(30), holding)));
      assertThat(inside.await(20, TimeUnit.SECONDS)).isTrue();

      assertThatThrownBy(
              () -> second.apply(state(ADDRESS), within(Duration.ofMillis(300), EngineHooks.NONE)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("another apply on this node holds");

      // Planned now (address missing), applied after the first: planned again, nothing to add.
      var waiting =
          pool.submit(
              () -> second.apply(state(ADDRESS), within(Duration.ofSeconds(20), EngineHooks.NONE)));
      Thread.sleep(300);
      assertThat(waiting).isNotDone();
      release.countDown();

      assertThat(first.get(20, TimeUnit.SECONDS)).isInstanceOf(ApplyResult.Applied.class);
      var result = waiting.get(20, TimeUnit.SECONDS);
      assertThat(result).isInstanceOf(ApplyResult.Applied.class);
      assertThat(result.plan().isEmpty()).isTrue();
      assertThat(ns.ip("addr", "show", "eth1")).contains("198.18.94.1/24");
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }
}
