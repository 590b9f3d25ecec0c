package io.multihome.lab.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventCorrelatorTest {
  private static final EventCorrelator.Similarity POD =
      new EventCorrelator.Similarity("uid-1", "kubelet", "node1", "Warning", "Failed");
  private final Instant t0 = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void anIdenticalEventRaisesTheCountOfTheFirst() {
    var c = new EventCorrelator();
    var first = c.observe(POD, "boom", t0, "p.1");
    var second = c.observe(POD, "boom", t0.plusSeconds(5), "p.2");
    assertThat(first.create()).isTrue();
    assertThat(first.name()).isEqualTo("p.1");
    assertThat(second.create()).isFalse();
    assertThat(second.name()).isEqualTo("p.1");
    assertThat(second.count()).isEqualTo(2);
    assertThat(second.first()).isEqualTo(t0);
  }

  @Test
  void theTenthDifferentMessageIsFoldedIntoOneCombinedEvent() {
    var c = new EventCorrelator();
    for (int i = 1; i < EventCorrelator.MAX_SIMILAR; i++) {
      assertThat(c.observe(POD, "attempt " + i, t0, "p." + i).create()).isTrue();
    }
    var tenth = c.observe(POD, "attempt 10", t0, "p.10");
    var eleventh = c.observe(POD, "attempt 11", t0, "p.11");
    assertThat(tenth.message()).isEqualTo("(combined from similar events): attempt 10");
    assertThat(tenth.create()).isTrue();
    assertThat(eleventh.name()).isEqualTo("p.10");
    assertThat(eleventh.count()).isEqualTo(2);
    assertThat(eleventh.message()).isEqualTo("(combined from similar events): attempt 11");
  }

  @Test
  void similarEventsOutsideTheWindowStartAgain() {
    var c = new EventCorrelator();
    for (int i = 1; i < EventCorrelator.MAX_SIMILAR; i++) {
      c.observe(POD, "attempt " + i, t0, "p." + i);
    }
    var later = t0.plus(EventCorrelator.WINDOW).plusSeconds(1);
    assertThat(c.observe(POD, "attempt 10", later, "p.10").message()).isEqualTo("attempt 10");
  }

  @Test
  void otherReasonsAndObjectsAreSeparate() {
    var c = new EventCorrelator();
    c.observe(POD, "boom", t0, "p.1");
    var other = new EventCorrelator.Similarity("uid-2", "kubelet", "node1", "Warning", "Failed");
    assertThat(c.observe(other, "boom", t0, "q.1").create()).isTrue();
  }

  @Test
  void aForgottenEventIsCreatedAgain() {
    var c = new EventCorrelator();
    c.observe(POD, "boom", t0, "p.1");
    c.forget("p.1");
    assertThat(c.observe(POD, "boom", t0, "p.2").name()).isEqualTo("p.2");
  }
}
