package io.multihome.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multihome.api.nmstate.EnactmentConditions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureMessageTest {

  @Test
  void firstErrorAndShortChangeSummary() {
    var msg =
        FailureMessage.of(
            2,
            5,
            "create br1: Operation not permitted (EPERM)\nsecond line",
            List.of("create linux-bridge br1", "add 198.18.1.1/24 to br1"));
    assertThat(msg)
        .isEqualTo(
            "attempt 2/5: create br1: Operation not permitted (EPERM) second line; planned changes:"
                + " create linux-bridge br1, add 198.18.1.1/24 to br1");
  }

  @Test
  void hugeErrorsAndPlansStayWithinOneKibibyte() {
    var changes = new ArrayList<String>();
    for (int i = 0; i < 500; i++) {
      changes.add(
          "create linux-bridge brü" + i + " with a very long description " + "x".repeat(100));
    }
    var msg = FailureMessage.of(1, 5, "verification failed: " + "é".repeat(5000), changes);
    assertThat(msg.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
    assertThat(msg).startsWith("attempt 1/5: verification failed: é").endsWith("…");
  }

  @Test
  void moreThanFiveChangesAreCounted() {
    var msg = FailureMessage.of(1, 1, "boom", List.of("a", "b", "c", "d", "e", "f", "g"));
    assertThat(msg).endsWith("planned changes: a, b, c, d, e (+2 more)");
  }

  @Test
  void backoffDoublesUpToTheMaximum() {
    var b = Backoff.DEFAULT;
    assertThat(
            List.of(
                b.delayAfter(1),
                b.delayAfter(2),
                b.delayAfter(3),
                b.delayAfter(5),
                b.delayAfter(6),
                b.delayAfter(40)))
        .containsExactly(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(16),
            Duration.ofSeconds(30),
            Duration.ofSeconds(30));
    assertThatThrownBy(() -> new Backoff(0, Duration.ZERO, Duration.ZERO))
        .hasMessageContaining("attempts");
  }

  @Test
  void transitionTimeKeptOnlyWhileStatusIsUnchanged() {
    var t0 = Instant.parse("2026-01-01T00:00:00Z");
    var t1 = Instant.parse("2026-01-01T00:01:00Z");
    var retry1 = EnactmentRows.merge(null, EnactmentConditions.retrying("a"), t0);
    var retry2 = EnactmentRows.merge(retry1, EnactmentConditions.retrying("b"), t1);
    var failing = EnactmentRows.find(retry2, "Failing");
    assertThat(failing.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(failing.getMessage()).isEqualTo("b");
    assertThat(EnactmentRows.find(retry2, "Progressing").getMessage()).isEqualTo("b");
    var done = EnactmentRows.merge(retry2, EnactmentConditions.success(), t1);
    assertThat(EnactmentRows.find(done, "Failing").getLastTransitionTime())
        .isEqualTo("2026-01-01T00:01:00Z");
    assertThat(EnactmentRows.find(done, "Failing").getMessage()).isNull();
  }

  @Test
  void dnsQueryIsAWellFormedQuestion() {
    var q = Probes.DnsQuery.encode(0x1234, "kubernetes.default.svc");
    assertThat(q[0]).isEqualTo((byte) 0x12);
    assertThat(q[1]).isEqualTo((byte) 0x34);
    assertThat(q[2]).isEqualTo((byte) 0x01); // RD
    assertThat(q[5]).isEqualTo((byte) 1); // one question
    assertThat(q[12]).isEqualTo((byte) 10); // "kubernetes"
    assertThat(q.length).isEqualTo(12 + 1 + 10 + 1 + 7 + 1 + 3 + 1 + 4);
  }

  @Test
  void volatileFieldsAreDropped() {
    var state = Cluster.JSON.createObjectNode();
    var addr =
        state.putArray("interfaces").addObject().putObject("ipv6").putArray("address").addObject();
    addr.put("ip", "2001:db8::1").put("valid-life-time", "3599sec");
    var stripped = VolatileFields.strip(state);
    assertThat(stripped.toString()).doesNotContain("valid-life-time").contains("2001:db8::1");
    assertThat(state.toString()).contains("valid-life-time");
  }
}
