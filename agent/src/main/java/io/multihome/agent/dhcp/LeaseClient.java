package io.multihome.agent.dhcp;

import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the DHCPv4 and DHCPv6 clients share: the thread's loop (a saved lease asked for again first,
 * then acquire and keep until stopped), keeping a lease through T1 (renew) and T2 (rebind) to its
 * end, and what stopping does with the lease. The protocol's messages are the subclass's.
 * Retransmissions while renewing or rebinding wait half the time left, but at least {@link
 * #MIN_RETRANSMIT_MS}, so that a daemon does not flood and a short T1 can still be exercised.
 */
abstract class LeaseClient<L extends LeaseTimes> implements Runnable {

  /** Epoch milliseconds; tests advance a fake one as the fake link times out. */
  interface Clock {
    long now();

    Clock SYSTEM = System::currentTimeMillis;
  }

  /** What stopping does with the lease. */
  enum Stop {
    /** Leave address, routes and the saved lease as they are (agent shutdown). */
    KEEP,
    /** Remove what the lease added, keep the saved lease (undone by a rollback, or released). */
    SUSPEND,
    /** Send a release, remove what the lease added and forget it. */
    RELEASE
  }

  static final long MIN_RETRANSMIT_MS = 5000;

  /** The subclass's logger, so that log lines keep naming the protocol's client. */
  protected final Logger log = LoggerFactory.getLogger(getClass());

  protected final String name;
  protected final LeaseSink<L> sink;
  protected final Clock clock;
  protected final RandomGenerator random;
  private final L saved;
  private final String protocol;
  private final String releaseMessage;
  protected volatile boolean stopped;
  private volatile Stop stopMode = Stop.KEEP;
  protected volatile L lease;

  /** When the current exchange sent its first message (for the elapsed-time fields). */
  protected long started;

  /**
   * @param protocol {@code DHCP} or {@code DHCPv6}, for the reason a suspended lease is lost
   * @param releaseMessage the release message's name, for the log when it cannot be sent
   */
  LeaseClient(
      String name,
      LeaseSink<L> sink,
      L saved,
      Clock clock,
      RandomGenerator random,
      String protocol,
      String releaseMessage) {
    this.name = name;
    this.sink = sink;
    this.saved = saved;
    this.clock = clock;
    this.random = random;
    this.protocol = protocol;
    this.releaseMessage = releaseMessage;
  }

  /** The lease held now, or null. */
  L lease() {
    return lease;
  }

  /** Ends {@link #run} soon; {@code mode} says what happens to the lease. */
  void stop(Stop mode) {
    stopMode = mode;
    stopped = true;
    wakeup();
  }

  /** Wakes a thread blocked in the link's receive. */
  abstract void wakeup();

  /** Asks for the saved (unexpired) lease again; keeps it until it expires when nobody answers. */
  abstract L restart(L saved);

  /** Acquires a new lease; null when stopped or refused (the caller loops). */
  abstract L acquire();

  /**
   * One renewal (to the lease's server) or rebinding (to any server) exchange, retransmitted after
   * {@code wait} and answered by {@code deadline}: the new lease, {@code current} when nobody
   * answered, or null when the server refused it (the lease is then lost).
   */
  abstract L extend(L current, boolean rebinding, long wait, long deadline);

  /** Waits until {@code deadline} or stop, accepting nothing. */
  abstract void idle(long deadline);

  /** Sends the release of {@code held}; may throw when it cannot. */
  abstract void release(L held);

  /** The lease as the logs name it. */
  abstract String text(L lease);

  @Override
  public final void run() {
    L held = null;
    try {
      if (saved != null) {
        if (saved.expired(clock.now())) {
          sink.lost(saved, "the saved lease expired", false);
        } else {
          held = restart(saved);
        }
      }
      while (!stopped) {
        if (held == null) {
          held = acquire();
        }
        if (held != null) {
          held = keep(held);
        }
      }
    } finally {
      finish(held != null ? held : lease);
    }
  }

  private void finish(L held) {
    if (held == null) {
      return;
    }
    switch (stopMode) {
      case KEEP -> {}
      case SUSPEND -> sink.lost(held, protocol + " turned off", true);
      case RELEASE -> {
        try {
          release(held);
        } catch (RuntimeException e) {
          log.debug("{}: {} not sent: {}", name, releaseMessage, e.toString());
        }
        sink.lost(held, "released", false);
      }
    }
  }

  /** BOUND → RENEWING → REBINDING → expiry; returns null once the lease is gone. */
  private L keep(L current) {
    while (!stopped) {
      long now = clock.now();
      if (now < current.renewAt()) {
        // Nothing to do until T1; whatever arrives meanwhile is not for us.
        idle(current.renewAt());
        continue;
      }
      if (current.expired(now)) {
        log.info("{}: lease {} expired", name, text(current));
        lease = null;
        sink.lost(current, "the lease expired (no server answered since T1)", false);
        return null;
      }
      boolean rebinding = now >= current.rebindAt();
      long end = rebinding ? current.expiresAt() : current.rebindAt();
      long wait = Math.max((end - now) / 2, MIN_RETRANSMIT_MS);
      started = now;
      var got = extend(current, rebinding, wait, Math.min(end, now + wait));
      if (got == null) {
        return null;
      }
      current = got;
    }
    return current;
  }
}
