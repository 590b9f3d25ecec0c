package io.multihome.controller.nncp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ParallelWritesTest {

  @Test
  void returnsTheNonNullResultsOfEveryItem() {
    try (var writes = new ParallelWrites(4)) {
      var items = IntStream.range(0, 100).boxed().toList();
      var out = writes.runAll(items, i -> i % 10 == 0 ? null : i * 2);
      assertThat(out)
          .hasSize(90)
          .containsExactlyInAnyOrderElementsOf(
              items.stream().filter(i -> i % 10 != 0).map(i -> i * 2).toList());
      assertThat(writes.runAll(List.<Integer>of(), i -> i)).isEmpty();
      assertThat(writes.runAll(List.of(7), i -> i + 1)).containsExactly(8);
    }
  }

  @Test
  void aFailureIsRethrownOnlyAfterEveryOtherTaskRan() {
    try (var writes = new ParallelWrites(4)) {
      Set<Integer> ran = ConcurrentHashMap.newKeySet();
      var items = IntStream.range(0, 50).boxed().toList();
      assertThatThrownBy(
              () ->
                  writes.runAll(
                      items,
                      i -> {
                        if (i == 3) {
                          throw new IllegalStateException("boom " + i);
                        }
                        ran.add(i);
                        return i;
                      }))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("boom 3");
      assertThat(ran).hasSize(49).doesNotContain(3);
    }
  }

  @Test
  void runsTasksConcurrently() throws Exception {
    try (var writes = new ParallelWrites(4)) {
      // Four tasks that each wait for all four to have started: only possible in parallel.
      var started = new java.util.concurrent.CountDownLatch(4);
      var out =
          writes.runAll(
              List.of(1, 2, 3, 4),
              i -> {
                started.countDown();
                try {
                  return started.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      assertThat(out).containsExactly(true, true, true, true);
    }
  }
}
