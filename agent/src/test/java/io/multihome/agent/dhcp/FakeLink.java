package io.multihome.agent.dhcp;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.BiFunction;

/**
 * A segment with a scripted DHCP server and a fake clock: each message the client sends goes to
 * {@code server}, whose answers arrive {@code delayMs} later; waiting for nothing moves the clock
 * to the deadline at once, so hours of lease time pass in microseconds. Refuses to run past {@code
 * limit} of fake time (a client that never stops fails the test instead of hanging).
 */
final class FakeLink implements Dhcp4Link, Dhcp4Client.Clock {
  static final byte[] MAC = {2, 0, 0, 0, 0, 1};
  static final byte[] SERVER_MAC = {2, 0, 0, 0, 0, (byte) 0xfe};

  /** What the client sent and when, how (broadcast or to which server). */
  record Sent(long at, Dhcp4Message message, Inet4Address source, Inet4Address to) {}

  private record Pending(long at, Dhcp4Message message) {}

  private final PriorityQueue<Pending> queue =
      new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
  final List<Sent> sent = new ArrayList<>();
  private final BiFunction<FakeLink, Sent, List<Dhcp4Message>> server;
  private final long delayMs;
  private final long limit;
  private long now = 1_000_000;
  private boolean woken;

  FakeLink(BiFunction<FakeLink, Sent, List<Dhcp4Message>> server, long delayMs, long limitMs) {
    this.server = server;
    this.delayMs = delayMs;
    this.limit = now + limitMs;
  }

  @Override
  public long now() {
    return now;
  }

  @Override
  public byte[] mac() {
    return MAC.clone();
  }

  @Override
  public void broadcast(Dhcp4Message m, Inet4Address source) {
    send(new Sent(now, m, source, null));
  }

  @Override
  public void unicast(Dhcp4Message m, Inet4Address source, Inet4Address to, byte[] nextHop) {
    send(new Sent(now, m, source, to));
  }

  private void send(Sent s) {
    sent.add(s);
    for (var answer : server.apply(this, s)) {
      queue.add(new Pending(now + delayMs, answer));
    }
  }

  @Override
  public Received receive(long deadline) {
    if (woken) {
      return null;
    }
    var next = queue.peek();
    if (next != null && next.at() <= deadline) {
      queue.poll();
      now = Math.max(now, next.at());
      return new Received(next.message(), SERVER_MAC);
    }
    now = Math.max(now, deadline);
    if (now > limit) {
      throw new IllegalStateException("the client ran past the test's time limit");
    }
    return null;
  }

  @Override
  public void wakeup() {
    woken = true;
  }

  @Override
  public void close() {}

  long elapsedSeconds(long since) {
    return (now - since) / 1000;
  }
}
