package io.multihome.agent.dhcp;

import java.net.Inet4Address;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The RFC 2131 client state machine for one interface: INIT → SELECTING → REQUESTING → BOUND →
 * RENEWING (unicast to the server at T1) → REBINDING (broadcast at T2) → lease expiry; INIT-REBOOT
 * when it starts with a saved lease (after an agent restart or a rollback), keeping that lease
 * until it expires when no server answers (RFC 2131 3.2). Runs on its own thread until {@link
 * #stop}. Deviations, for a daemon that must not flood: retransmissions in RENEWING/REBINDING wait
 * half the time left, but at least 5 s (RFC: 60 s), so a short T1 can be exercised against a real
 * server; no ARP probe of the offered address before use.
 */
final class Dhcp4Client extends LeaseClient<Lease4> {
  static final long[] DISCOVER_BACKOFF_MS = {1000, 2000, 4000, 8000, 16000, 32000, 64000};
  private static final long[] REQUEST_BACKOFF_MS = {1000, 2000, 4000};
  private static final long[] REBOOT_BACKOFF_MS = {1000, 2000};

  private final Dhcp4Link link;
  private final byte[] clientId;
  private volatile long exchangeMillis = -1;

  Dhcp4Client(
      String name,
      Dhcp4Link link,
      LeaseSink<Lease4> sink,
      byte[] clientId,
      Lease4 saved,
      Clock clock,
      RandomGenerator random) {
    super(name, sink, saved, clock, random, "DHCP", "DHCPRELEASE");
    this.link = link;
    this.clientId = clientId;
  }

  /** Milliseconds from the first message sent to the ACK of the last acquisition, or -1. */
  long exchangeMillis() {
    return exchangeMillis;
  }

  @Override
  void wakeup() {
    link.wakeup();
  }

  @Override
  String text(Lease4 lease) {
    return lease.cidr();
  }

  @Override
  void release(Lease4 held) {
    link.unicast(
        release(held, link.mac(), clientId, random.nextInt()),
        Dhcp4Message.v4(ip(held.address())),
        Dhcp4Message.v4(ip(held.server())),
        held.serverMac() == null ? null : Hex.bytes(held.serverMac()));
  }

  /** INIT-REBOOT: ask for the saved address again; keep it when nobody answers. */
  @Override
  Lease4 restart(Lease4 old) {
    int xid = random.nextInt();
    started = clock.now();
    var request = message(Dhcp4Message.REQUEST);
    request.put(Dhcp4Option.REQUESTED_IP, ip(old.address()));
    for (long wait : REBOOT_BACKOFF_MS) {
      if (stopped) {
        return old;
      }
      link.broadcast(build(request, xid, null, true), Dhcp4Message.ANY);
      sink.progress("DHCPREQUEST for " + old.address() + " (INIT-REBOOT) sent");
      var answer = await(xid, clock.now() + wait, Dhcp4Message.ACK, Dhcp4Message.NAK);
      if (answer != null) {
        return bound(answer, old, true);
      }
    }
    if (stopped) {
      return old;
    }
    log.info("{}: no DHCP server answered; keeping the saved lease {}", name, old.cidr());
    sink.progress("no answer to INIT-REBOOT; using the saved lease until it expires");
    lease = old;
    sink.bound(old, null);
    return old;
  }

  /** INIT → SELECTING → REQUESTING; null when stopped or refused (the caller loops). */
  @Override
  Lease4 acquire() {
    started = clock.now();
    // One xid for the retransmissions of a DISCOVER: a server that answers slowly (dnsmasq pings
    // an address for 3 s before offering it) answers the first one, after the second went out.
    int xid = random.nextInt();
    for (int attempt = 0; !stopped; attempt++) {
      var discover = message(Dhcp4Message.DISCOVER);
      link.broadcast(build(discover, xid, null, true), Dhcp4Message.ANY);
      sink.progress("DHCPDISCOVER sent (attempt " + (attempt + 1) + "), no answer yet");
      long wait =
          DISCOVER_BACKOFF_MS[Math.min(attempt, DISCOVER_BACKOFF_MS.length - 1)]
              + random.nextLong(250);
      var offer = await(xid, clock.now() + wait, Dhcp4Message.OFFER);
      if (offer == null) {
        continue;
      }
      var server = offer.message().option(Dhcp4Option.SERVER_ID);
      var yiaddr = offer.message().yiaddr();
      if (server == null || yiaddr.equals(Dhcp4Message.ANY)) {
        continue;
      }
      var request = message(Dhcp4Message.REQUEST);
      request.put(Dhcp4Option.SERVER_ID, server);
      request.put(Dhcp4Option.REQUESTED_IP, yiaddr.getAddress());
      for (long retry : REQUEST_BACKOFF_MS) {
        if (stopped) {
          return null;
        }
        link.broadcast(build(request, xid, null, true), Dhcp4Message.ANY);
        sink.progress("DHCPREQUEST for " + yiaddr.getHostAddress() + " sent");
        var answer = await(xid, clock.now() + retry, Dhcp4Message.ACK, Dhcp4Message.NAK);
        if (answer != null) {
          var got = bound(answer, null, false);
          if (got != null) {
            return got;
          }
          break;
        }
      }
      // Refused or unanswered: start over with a new transaction.
      xid = random.nextInt();
    }
    return null;
  }

  /** RENEWING (unicast to the lease's server) or REBINDING (broadcast). */
  @Override
  Lease4 extend(Lease4 current, boolean rebinding, long wait, long deadline) {
    int xid = random.nextInt();
    var request = message(Dhcp4Message.REQUEST);
    var client = Dhcp4Message.v4(ip(current.address()));
    if (rebinding) {
      link.broadcast(build(request, xid, client, false), client);
      sink.progress("DHCPREQUEST (rebinding " + current.address() + ") broadcast");
    } else {
      link.unicast(
          build(request, xid, client, false),
          client,
          Dhcp4Message.v4(ip(current.server())),
          current.serverMac() == null ? null : Hex.bytes(current.serverMac()));
      sink.progress("DHCPREQUEST (renewing " + current.address() + ") sent to " + current.server());
    }
    var answer = await(xid, deadline, Dhcp4Message.ACK, Dhcp4Message.NAK);
    return answer == null ? current : bound(answer, current, true);
  }

  @Override
  void idle(long deadline) {
    await(0, deadline, -1);
  }

  /** Handles an ACK or NAK: the new lease, or null (NAK; a lease we held is lost). */
  private Lease4 bound(Dhcp4Link.Received answer, Lease4 previous, boolean held) {
    var m = answer.message();
    if (m.type() == Dhcp4Message.NAK) {
      var why = Dhcp4Option.text(m.option(Dhcp4Option.MESSAGE));
      log.info("{}: DHCPNAK{}", name, why == null ? "" : ": " + why);
      if (held && previous != null) {
        lease = null;
        sink.lost(previous, "the server refused the lease (DHCPNAK)", false);
      }
      return null;
    }
    var got = Lease4.of(m, answer.sourceMac(), clock.now());
    if (got == null) {
      return null;
    }
    exchangeMillis = clock.now() - started;
    log.info(
        "{}: lease {} from {} for {} s (T1 {} s, T2 {} s)",
        name,
        got.cidr(),
        got.server(),
        got.leaseSeconds(),
        got.t1Seconds(),
        got.t2Seconds());
    lease = got;
    sink.bound(got, previous);
    return got;
  }

  /**
   * The first message with {@code xid} of one of {@code types} before {@code deadline}, or null
   * (deadline, stop). {@code types} -1 waits without accepting anything.
   */
  private Dhcp4Link.Received await(int xid, long deadline, int... types) {
    while (!stopped && clock.now() < deadline) {
      var r = link.receive(deadline);
      if (r == null) {
        continue;
      }
      var m = r.message();
      if (m.op() != Dhcp4Message.BOOTREPLY || m.xid() != xid) {
        continue;
      }
      if (!java.util.Arrays.equals(
          java.util.Arrays.copyOf(m.chaddr(), link.mac().length), link.mac())) {
        continue;
      }
      for (int t : types) {
        if (m.type() == t) {
          return r;
        }
      }
    }
    return null;
  }

  private Map<Integer, byte[]> message(int type) {
    var o = new LinkedHashMap<Integer, byte[]>();
    o.put(Dhcp4Option.MESSAGE_TYPE, new byte[] {(byte) type});
    if (clientId != null) {
      o.put(Dhcp4Option.CLIENT_ID, clientId);
    }
    o.put(Dhcp4Option.MAX_SIZE, new byte[] {0x05, (byte) 0xc0});
    o.put(Dhcp4Option.PARAMETERS, Dhcp4Option.REQUESTED);
    return o;
  }

  private Dhcp4Message build(
      Map<Integer, byte[]> options, int xid, Inet4Address ciaddr, boolean broadcast) {
    int secs = (int) Math.min(0xffff, Math.max(0, (clock.now() - started) / 1000));
    return new Dhcp4Message(
        Dhcp4Message.BOOTREQUEST,
        xid,
        secs,
        broadcast,
        ciaddr,
        null,
        null,
        null,
        link.mac(),
        options);
  }

  /** A DHCPRELEASE of {@code lease}, unicast to its server. */
  static Dhcp4Message release(Lease4 lease, byte[] mac, byte[] clientId, int xid) {
    var o = new LinkedHashMap<Integer, byte[]>();
    o.put(Dhcp4Option.MESSAGE_TYPE, new byte[] {Dhcp4Message.RELEASE});
    o.put(Dhcp4Option.SERVER_ID, ip(lease.server()));
    if (clientId != null) {
      o.put(Dhcp4Option.CLIENT_ID, clientId);
    }
    return new Dhcp4Message(
        Dhcp4Message.BOOTREQUEST,
        xid,
        0,
        false,
        Dhcp4Message.v4(ip(lease.address())),
        null,
        null,
        null,
        mac,
        o);
  }

  static byte[] ip(String dotted) {
    var p = dotted.split("\\.");
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      b[i] = (byte) Integer.parseInt(p[i]);
    }
    return b;
  }
}
