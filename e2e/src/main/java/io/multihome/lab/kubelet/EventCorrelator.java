package io.multihome.lab.kubelet;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What client-go's event correlator does before an event is written, so a pod retried every few
 * seconds gets one event with a growing count instead of hundreds: an event identical to an earlier
 * one (same object, source, type, reason, message) raises that event's {@code count}; once {@value
 * #MAX_SIMILAR} events of the same object, source, type and reason with different messages were
 * seen within {@link #WINDOW}, further ones are folded into one event whose message starts with
 * {@code (combined from similar events): }.
 */
final class EventCorrelator {
  static final int MAX_SIMILAR = 10;
  static final Duration WINDOW = Duration.ofMinutes(10);
  static final String COMBINED = "(combined from similar events): ";
  private static final int MAX_REMEMBERED = 10_000;

  /** Everything that makes two events "similar" (all but the message). */
  record Similarity(String objectUid, String component, String host, String type, String reason) {}

  /**
   * What to write: a new event named {@code name} ({@code count == 1}), or {@code count} and the
   * message on the existing event {@code name}.
   */
  record Decision(String name, String message, int count, Instant first) {
    boolean create() {
      return count == 1;
    }
  }

  private record Seen(String name, int count, Instant first) {}

  private record Similar(Set<String> messages, Instant last) {}

  private final Map<Object, Seen> seen = new HashMap<>();
  private final Map<Similarity, Similar> similar = new HashMap<>();

  synchronized Decision observe(
      Similarity similarity, String message, Instant now, String nameIfNew) {
    if (seen.size() > MAX_REMEMBERED) {
      // A lab kept running for days: forgetting only means the next event is a new one.
      seen.clear();
      similar.clear();
    }
    var group = similar.get(similarity);
    if (group == null || Duration.between(group.last(), now).compareTo(WINDOW) > 0) {
      group = new Similar(new LinkedHashSet<>(), now);
    }
    group.messages().add(message);
    similar.put(similarity, new Similar(group.messages(), now));
    Object key = new Exact(similarity, message);
    String text = message;
    if (group.messages().size() >= MAX_SIMILAR) {
      key = similarity;
      text = COMBINED + message;
    }
    var before = seen.get(key);
    var after =
        before == null
            ? new Seen(nameIfNew, 1, now)
            : new Seen(before.name(), before.count() + 1, before.first());
    seen.put(key, after);
    return new Decision(after.name(), text, after.count(), after.first());
  }

  /** Forgets an event that could not be updated (deleted meanwhile): the next one is new. */
  synchronized void forget(String name) {
    seen.values().removeIf(s -> s.name().equals(name));
  }

  private record Exact(Similarity similarity, String message) {}
}
