package io.multihome.controller.sriov;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  private static final Clock T1 =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final Clock T2 =
      Clock.fixed(Instant.parse("2026-01-02T00:00:00Z"), ZoneOffset.UTC);

  @Test
  void transitionTimeMovesOnlyWhenTheStatusFlips() {
    var first = Conditions.upsert(null, new Conditions.Wanted("Ready", false, "A", "one"), 1L, T1);
    var sameStatus =
        Conditions.upsert(first, new Conditions.Wanted("Ready", false, "B", "two"), 2L, T2);
    var flipped =
        Conditions.upsert(sameStatus, new Conditions.Wanted("Ready", true, "C", "three"), 2L, T2);

    assertThat(sameStatus)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
              assertThat(c.getMessage()).isEqualTo("two");
              assertThat(c.getObservedGeneration()).isEqualTo(2L);
            });
    assertThat(flipped)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-02T00:00:00Z");
              assertThat(c.getStatus()).isEqualTo("True");
            });
  }

  @Test
  void otherConditionTypesAreKeptAndMatchComparesEverythingButTime() {
    var list = Conditions.upsert(null, new Conditions.Wanted("Other", true, "X", "x"), 1L, T1);
    list = Conditions.upsert(list, new Conditions.Wanted("Ready", true, "R", "r"), 1L, T1);

    assertThat(list).extracting(c -> c.getType()).containsExactly("Other", "Ready");
    var wanted = new Conditions.Wanted("Ready", true, "R", "r");
    assertThat(Conditions.matches(Conditions.find(list, "Ready"), wanted, 1L)).isTrue();
    assertThat(Conditions.matches(Conditions.find(list, "Ready"), wanted, 2L)).isFalse();
    assertThat(
            Conditions.matches(
                Conditions.find(list, "Ready"), new Conditions.Wanted("Ready", true, "R", "s"), 1L))
        .isFalse();
  }
}
