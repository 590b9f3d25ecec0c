package io.multihome.lab.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Fans the store's changes out to watches and keeps the recent ones, so a watch that starts at a
 * resourceVersion (what a list returned) gets exactly the changes after it, as from an API server's
 * watch cache; one that starts before the oldest kept change is told 410 Gone.
 */
final class WatchHub {
  /** A change with the resource it belongs to. */
  record Event(long resourceVersion, String type, ObjectNode object, ResourcePath at) {}

  /** Thrown when a watch asks for changes older than the hub keeps. */
  static final class GoneException extends Exception {
    GoneException(String message) {
      super(message);
    }
  }

  /** A live watch; {@link #close} stops delivery. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  private final int capacity;
  private final Deque<Event> history = new ArrayDeque<>();
  private final Set<Sink> sinks = new CopyOnWriteArraySet<>();
  private long oldestDropped;
  private long lastPublished;

  WatchHub(int capacity) {
    this.capacity = capacity;
  }

  private record Sink(Predicate<Event> filter, Consumer<Event> consumer) {}

  /** Records and delivers one change (called in commit order). */
  synchronized void publish(Event event) {
    lastPublished = Math.max(lastPublished, event.resourceVersion());
    history.addLast(event);
    while (history.size() > capacity) {
      oldestDropped = history.removeFirst().resourceVersion();
    }
    for (var s : sinks) {
      if (s.filter.test(event)) {
        s.consumer.accept(event);
      }
    }
  }

  /**
   * Delivers every kept change after {@code fromResourceVersion} that passes {@code filter}, then
   * every new one, without gaps or duplicates.
   */
  synchronized Subscription subscribe(
      long fromResourceVersion, Predicate<Event> filter, Consumer<Event> consumer)
      throws GoneException {
    if (fromResourceVersion < oldestDropped) {
      throw new GoneException(
          "too old resource version: " + fromResourceVersion + " (" + oldestDropped + ")");
    }
    for (var e : history) {
      if (e.resourceVersion() > fromResourceVersion && filter.test(e)) {
        consumer.accept(e);
      }
    }
    var sink = new Sink(filter, consumer);
    sinks.add(sink);
    return () -> sinks.remove(sink);
  }

  /** The resourceVersion of the newest change delivered (safe for bookmarks). */
  synchronized long lastPublished() {
    return lastPublished;
  }

  /** Delivers only changes from now on (after the caller sent its initial state). */
  synchronized Subscription subscribeNow(Predicate<Event> filter, Consumer<Event> consumer) {
    var sink = new Sink(filter, consumer);
    sinks.add(sink);
    return () -> sinks.remove(sink);
  }
}
