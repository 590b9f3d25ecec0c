package io.multihome.agent.engine;

import static io.multihome.agent.engine.EngineAssertions.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.multihome.state.DnsConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Static DNS written to {@code /etc/netns/NS/resolv.conf} of a throwaway namespace: merged as
 * nmstate does, part of the checkpoint (a failure anywhere, a failing probe, {@code rollback} and
 * the dead-man switch put the file back byte for byte, or remove the one the apply made), and a
 * symlinked file stays a symlink.
 */
@Timeout(120)
class DnsKernelTest extends EngineNetnsTestBase {
  /** What the namespace's resolver file holds before: text the engine would never write. */
  private static final byte[] BEFORE =
      "# kept byte for byte\r\nsortlist 198.18.0.0/255.254.0.0\nnameserver 198.18.0.1\n"
          .getBytes(StandardCharsets.UTF_8);

  private static final String DNS =
      """
      dns-resolver:
        config:
          server: [198.18.0.53, 2001:db8::53]
          search: [example.com]
          options: [rotate, timeout:2]
      """;

  private static final String BRIDGE_AND_DNS =
      """
      interfaces:
      - name: br1
        type: linux-bridge
        bridge: {options: {stp: {enabled: false}}, port: [{name: eth1}]}
        ipv4: {enabled: true, address: [{ip: 198.18.5.1, prefix-length: 24}]}
      """
          + DNS;

  @TempDir Path tmp;
  private Path file;

  @BeforeEach
  void setUp() throws Exception {
    file = ns.etcDir().resolve("resolv.conf");
  }

  private void writeBefore() throws Exception {
    Files.createDirectories(ns.etcDir());
    Files.write(file, BEFORE);
  }

  private DnsConfig shown() {
    return engine.show(n -> false).dns();
  }

  @Test
  void writesReadsBackAndIsANoOpTheSecondTime() throws Exception {
    writeBefore();
    var result = engine.apply(state(DNS), ApplyOptions.defaults());
    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(result.plan().describe())
        .containsExactly(
            "write "
                + file
                + ": nameserver 198.18.0.53 2001:db8::53; search example.com; options rotate"
                + " timeout:2");
    assertThat(Files.readString(file))
        .isEqualTo(
            ResolvConf.HEADER
                + "search example.com\nnameserver 198.18.0.53\nnameserver 2001:db8::53\n"
                + "options rotate timeout:2\n");
    assertThat(ns.sh("cat", "/etc/resolv.conf")).contains("nameserver 198.18.0.53");
    assertThat(shown())
        .isEqualTo(
            new DnsConfig(
                List.of("198.18.0.53", "2001:db8::53"),
                List.of("example.com"),
                List.of("rotate", "timeout:2")));
    assertThat(engine.plan(state(DNS)).isEmpty()).isTrue();
    assertThat(engine.differences(state(DNS))).isEmpty();
  }

  @Test
  void omittedListsAreKeptAndAnEmptyConfigClearsEverything() throws Exception {
    writeBefore();
    engine.apply(state(DNS), ApplyOptions.defaults());

    var serverOnly = state("dns-resolver: {config: {server: [198.18.0.54]}}");
    assertThat(engine.apply(serverOnly, ApplyOptions.defaults()))
        .isInstanceOf(ApplyResult.Applied.class);
    assertThat(shown())
        .isEqualTo(
            new DnsConfig(
                List.of("198.18.0.54"), List.of("example.com"), List.of("rotate", "timeout:2")));

    assertThat(engine.apply(state("dns-resolver: {config: {}}"), ApplyOptions.defaults()))
        .isInstanceOf(ApplyResult.Applied.class);
    assertThat(Files.readString(file)).isEqualTo(ResolvConf.HEADER);
    assertThat(shown()).isEqualTo(new DnsConfig(List.of(), List.of(), List.of()));

    var untouched = state("interfaces: [{name: eth2, type: ethernet, mtu: 1400}]");
    engine.apply(untouched, ApplyOptions.defaults());
    assertThat(Files.readString(file)).isEqualTo(ResolvConf.HEADER);
  }

  @Test
  void aFailureAtEveryPositionOrAFailingProbeRestoresTheFileByteForByte() throws Exception {
    writeBefore();
    var desired = state(BRIDGE_AND_DNS);
    var before = ns.settled();
    int ops = engine.plan(desired).ops().size();
    assertThat(ops).isGreaterThan(4);
    for (int fail = 0; fail <= ops; fail++) {
      int at = fail;
      var options =
          fail < ops
              ? ApplyOptions.defaults()
                  .withHooks(
                      new EngineHooks() {
                        @Override
                        public void beforeOp(int position, Op op) {
                          if (position == at) {
                            throw new IllegalStateException("injected before " + op.describe());
                          }
                        }
                      })
              : ApplyOptions.defaults().withProbes(List.of(applied -> "dns probe says no"));
      var result = engine.apply(desired, options);
      assertThat(result).as("failure at %d", fail).isInstanceOf(ApplyResult.RolledBack.class);
      assertThat(Files.readAllBytes(file)).as("failure at %d", fail).isEqualTo(BEFORE);
      ns.awaitState(before);
      assertThat(ns.stateFiles()).as("checkpoint removed").isEmpty();
    }
  }

  @Test
  void aFileTheApplyMadeIsRemovedOnRollbackWithItsDirectory() throws Exception {
    var result =
        engine.apply(
            state(DNS), ApplyOptions.defaults().withProbes(List.of(applied -> "unreachable")));
    assertThat(result).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(ns.etcDir()).doesNotExist();
  }

  @Test
  void aSymlinkedResolverFileStaysALinkAndItsTargetIsRestored() throws Exception {
    var target = Files.write(tmp.resolve("stub-resolv.conf"), BEFORE);
    Files.createDirectories(ns.etcDir());
    Files.createSymbolicLink(file, target);

    var result = engine.apply(state(DNS), ApplyOptions.defaults().noCommit(Duration.ofMinutes(5)));
    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(Files.isSymbolicLink(file)).isTrue();
    assertThat(Files.readString(target)).contains("nameserver 198.18.0.53");
    assertThat(shown().server()).containsExactly("198.18.0.53", "2001:db8::53");

    assertThat(engine.rollback()).isEmpty();
    assertThat(Files.isSymbolicLink(file)).isTrue();
    assertThat(Files.readAllBytes(target)).isEqualTo(BEFORE);
  }

  @Test
  void theDeadManSwitchRestoresTheFile() throws Exception {
    writeBefore();
    var result = engine.apply(state(DNS), ApplyOptions.defaults().noCommit(Duration.ofMillis(1)));
    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(Files.readAllBytes(file)).isNotEqualTo(BEFORE);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !Engine.recoverExpired(ns.stateDir).isEmpty());
    assertThat(Files.readAllBytes(file)).isEqualTo(BEFORE);
  }
}
