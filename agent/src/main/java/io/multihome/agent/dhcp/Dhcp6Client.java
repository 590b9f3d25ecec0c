package io.multihome.agent.dhcp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The RFC 8415 client for one IA_NA on one interface: SOLICIT → ADVERTISE → REQUEST → REPLY, RENEW
 * at T1 and REBIND at T2 (both multicast), the address dropped at the end of its valid lifetime;
 * started with a saved lease it REBINDs first (RFC 8415 §18.2.5) and keeps that lease until it
 * expires when no server answers. Retransmissions double from 1 s up to 32 s (SOLICIT) or, while
 * renewing, wait half the time left but at least 5 s.
 */
final class Dhcp6Client extends LeaseClient<Lease6> {
  private static final long[] BACKOFF_MS = {1000, 2000, 4000, 8000, 16000, 32000};

  private final Dhcp6Link link;
  private final byte[] duid;
  private final long iaid;

  Dhcp6Client(
      String name,
      Dhcp6Link link,
      LeaseSink<Lease6> sink,
      byte[] duid,
      long iaid,
      Lease6 saved,
      RandomGenerator random) {
    super(name, sink, saved, Clock.SYSTEM, random, "DHCPv6", "RELEASE");
    this.link = link;
    this.duid = duid;
    this.iaid = iaid;
  }

  @Override
  void wakeup() {
    link.wakeup();
  }

  @Override
  String text(Lease6 lease) {
    return lease.address();
  }

  @Override
  void release(Lease6 held) {
    var o = base(random.nextInt() & 0xffffff);
    o.add(new Dhcp6Message.Option(Dhcp6Message.OPT_SERVERID, Hex.bytes(held.serverId())));
    o.add(ia(held));
    link.send(new Dhcp6Message(Dhcp6Message.RELEASE, 0, o));
  }

  /** REBIND the saved lease first (RFC 8415 18.2.5). */
  @Override
  Lease6 restart(Lease6 old) {
    started = clock.now();
    int xid = random.nextInt() & 0xffffff;
    for (long wait : new long[] {1000, 2000}) {
      if (stopped) {
        return old;
      }
      var o = base(xid);
      o.add(ia(old));
      sendOrWait(new Dhcp6Message(Dhcp6Message.REBIND, xid, o), wait);
      sink.progress("REBIND for " + old.address() + " (restart) sent");
      var reply = await(xid, clock.now() + wait, Dhcp6Message.REPLY);
      if (reply != null) {
        return bound(reply, old);
      }
    }
    if (stopped) {
      return old;
    }
    sink.progress("no answer to REBIND; using the saved lease until it expires");
    lease = old;
    sink.bound(old, null);
    return old;
  }

  @Override
  Lease6 acquire() {
    started = clock.now();
    int xid = random.nextInt() & 0xffffff;
    for (int attempt = 0; !stopped; attempt++) {
      long wait = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)] + random.nextLong(250);
      var o = base(xid);
      o.add(
          new Dhcp6Message.Option(
              Dhcp6Message.OPT_IA_NA, Dhcp6Message.IaNa.encode(iaid, 0, 0, null)));
      if (!sendOrWait(new Dhcp6Message(Dhcp6Message.SOLICIT, xid, o), wait)) {
        continue;
      }
      sink.progress("SOLICIT sent (attempt " + (attempt + 1) + "), no answer yet");
      var adv = await(xid, clock.now() + wait, Dhcp6Message.ADVERTISE);
      if (adv == null) {
        continue;
      }
      var server = adv.option(Dhcp6Message.OPT_SERVERID);
      var ia = iaOf(adv);
      if (server == null || ia == null || ia.addresses().isEmpty()) {
        continue;
      }
      int rxid = random.nextInt() & 0xffffff;
      for (long retry : BACKOFF_MS) {
        if (stopped || retry > 8000) {
          break;
        }
        var r = base(rxid);
        r.add(new Dhcp6Message.Option(Dhcp6Message.OPT_SERVERID, server));
        r.add(
            new Dhcp6Message.Option(
                Dhcp6Message.OPT_IA_NA,
                Dhcp6Message.IaNa.encode(iaid, 0, 0, ia.addresses().get(0))));
        sendOrWait(new Dhcp6Message(Dhcp6Message.REQUEST, rxid, r), retry);
        sink.progress(
            "REQUEST for " + Dhcp6Message.text(ia.addresses().get(0).address()) + " sent");
        var reply = await(rxid, clock.now() + retry, Dhcp6Message.REPLY);
        if (reply != null) {
          var got = bound(reply, null);
          if (got != null) {
            return got;
          }
          break;
        }
      }
      xid = random.nextInt() & 0xffffff;
    }
    return null;
  }

  /** RENEW (to the lease's server) or REBIND (to any), both multicast. */
  @Override
  Lease6 extend(Lease6 current, boolean rebinding, long wait, long deadline) {
    int xid = random.nextInt() & 0xffffff;
    var o = base(xid);
    if (!rebinding) {
      o.add(new Dhcp6Message.Option(Dhcp6Message.OPT_SERVERID, Hex.bytes(current.serverId())));
    }
    o.add(ia(current));
    sendOrWait(
        new Dhcp6Message(rebinding ? Dhcp6Message.REBIND : Dhcp6Message.RENEW, xid, o), wait);
    sink.progress((rebinding ? "REBIND" : "RENEW") + " for " + current.address() + " sent");
    var reply = await(xid, deadline, Dhcp6Message.REPLY);
    return reply == null ? current : bound(reply, current);
  }

  @Override
  void idle(long deadline) {
    await(-1, deadline, -1);
  }

  /** Sends; when the interface cannot send yet (no link-local address: DAD), waits instead. */
  private boolean sendOrWait(Dhcp6Message m, long wait) {
    try {
      link.send(m);
      return true;
    } catch (RuntimeException e) {
      sink.progress("cannot send yet: " + e.getMessage());
      link.receive(clock.now() + Math.min(wait, 1000));
      return false;
    }
  }

  private Lease6 bound(Dhcp6Message reply, Lease6 previous) {
    var ia = iaOf(reply);
    if (ia == null || ia.addresses().isEmpty()) {
      if (previous != null) {
        lease = null;
        sink.lost(
            previous,
            "the server refused the lease (status " + (ia == null ? "-" : ia.status()) + ")",
            false);
      }
      return null;
    }
    var a = ia.addresses().get(0);
    long pref = a.preferred();
    long t1 = ia.t1() == 0 ? pref / 2 : ia.t1();
    long t2 = ia.t2() == 0 ? pref * 4 / 5 : Math.max(ia.t2(), t1);
    var server = reply.option(Dhcp6Message.OPT_SERVERID);
    List<String> search;
    try {
      search = Dhcp4Option.searchList(reply.option(Dhcp6Message.OPT_DOMAIN_LIST));
    } catch (IllegalArgumentException e) {
      search = List.of();
    }
    var got =
        new Lease6(
            Dhcp6Message.text(a.address()),
            iaid,
            server == null ? (previous == null ? "" : previous.serverId()) : Hex.text(server),
            Dhcp6Message.addresses(reply.option(Dhcp6Message.OPT_DNS_SERVERS)),
            search,
            pref,
            a.valid(),
            t1,
            t2,
            clock.now());
    log.info(
        "{}: DHCPv6 lease {} for {} s (T1 {} s, T2 {} s)",
        name,
        got.address(),
        got.validSeconds(),
        t1,
        t2);
    lease = got;
    sink.bound(got, previous);
    return got;
  }

  private static Dhcp6Message.IaNa iaOf(Dhcp6Message m) {
    var v = m.option(Dhcp6Message.OPT_IA_NA);
    if (v == null) {
      return null;
    }
    try {
      return Dhcp6Message.IaNa.decode(v);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private Dhcp6Message await(int xid, long deadline, int type) {
    while (!stopped && clock.now() < deadline) {
      var m = link.receive(deadline);
      if (m == null) {
        continue;
      }
      if (m.xid() != xid || m.type() != type) {
        continue;
      }
      var client = m.option(Dhcp6Message.OPT_CLIENTID);
      if (client == null || !java.util.Arrays.equals(client, duid)) {
        continue;
      }
      return m;
    }
    return null;
  }

  private List<Dhcp6Message.Option> base(int xid) {
    var o = new ArrayList<Dhcp6Message.Option>();
    o.add(new Dhcp6Message.Option(Dhcp6Message.OPT_CLIENTID, duid));
    long elapsed = Math.min(0xffff, (clock.now() - started) / 10);
    o.add(
        new Dhcp6Message.Option(
            Dhcp6Message.OPT_ELAPSED_TIME,
            ByteBuffer.allocate(2).putShort((short) elapsed).array()));
    o.add(
        new Dhcp6Message.Option(
            Dhcp6Message.OPT_ORO,
            new byte[] {0, Dhcp6Message.OPT_DNS_SERVERS, 0, Dhcp6Message.OPT_DOMAIN_LIST}));
    return o;
  }

  private Dhcp6Message.Option ia(Lease6 l) {
    var addr =
        new Dhcp6Message.IaAddr(
            (java.net.Inet6Address) io.multihome.agent.netlink.IpPrefix.parseAddress(l.address()),
            0,
            0);
    return new Dhcp6Message.Option(
        Dhcp6Message.OPT_IA_NA, Dhcp6Message.IaNa.encode(iaid, 0, 0, addr));
  }
}
