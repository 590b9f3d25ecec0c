package io.multihome.agent.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** The RFC 2131 state machine against a scripted server and a fake clock. */
class Dhcp4ClientTest {
  private static final String IP = "198.18.70.101";
  private static final String SERVER = "198.18.70.254";

  /** Records what the client hands its sink; stops the client once {@code stopWhen} says so. */
  private static final class Sink implements LeaseSink<Lease4> {
    final List<String> events = new ArrayList<>();
    Dhcp4Client client;
    java.util.function.Predicate<Sink> stopWhen = s -> false;
    Dhcp4Client.Stop mode = Dhcp4Client.Stop.KEEP;

    @Override
    public void bound(Lease4 lease, Lease4 previous) {
      events.add("bound " + lease.cidr() + (previous == null ? "" : " (renewed)"));
      check();
    }

    @Override
    public void lost(Lease4 lease, String why, boolean keepSaved) {
      events.add("lost " + lease.cidr() + ": " + why + (keepSaved ? " (kept)" : ""));
      check();
    }

    private void check() {
      if (stopWhen.test(this)) {
        client.stop(mode);
      }
    }
  }

  static Dhcp4Message reply(Dhcp4Message to, int type, long lease, Long t1, Long t2) {
    var o = new LinkedHashMap<Integer, byte[]>();
    o.put(Dhcp4Option.MESSAGE_TYPE, new byte[] {(byte) type});
    o.put(Dhcp4Option.SERVER_ID, Dhcp4Client.ip(SERVER));
    if (type != Dhcp4Message.NAK) {
      o.put(Dhcp4Option.LEASE_TIME, Dhcp4Option.u32(lease));
      o.put(Dhcp4Option.SUBNET_MASK, Dhcp4Client.ip("255.255.255.0"));
      o.put(Dhcp4Option.ROUTER, Dhcp4Client.ip(SERVER));
      if (t1 != null) {
        o.put(Dhcp4Option.T1, Dhcp4Option.u32(t1));
      }
      if (t2 != null) {
        o.put(Dhcp4Option.T2, Dhcp4Option.u32(t2));
      }
    }
    return new Dhcp4Message(
        Dhcp4Message.BOOTREPLY,
        to.xid(),
        0,
        false,
        null,
        type == Dhcp4Message.NAK ? null : Dhcp4Message.v4(Dhcp4Client.ip(IP)),
        null,
        null,
        to.chaddr(),
        o);
  }

  /** A server answering every DISCOVER and REQUEST, 120 s leases with T1 60, T2 105. */
  static BiFunction<FakeLink, FakeLink.Sent, List<Dhcp4Message>> answering(long lease) {
    return (link, s) -> {
      var m = s.message();
      return switch (m.type()) {
        case Dhcp4Message.DISCOVER -> List.of(reply(m, Dhcp4Message.OFFER, lease, null, null));
        case Dhcp4Message.REQUEST -> List.of(reply(m, Dhcp4Message.ACK, lease, null, null));
        default -> List.of();
      };
    };
  }

  private static Dhcp4Client client(FakeLink link, Sink sink, Lease4 saved) {
    var c =
        new Dhcp4Client(
            "eth1",
            link,
            sink,
            ClientIds.clientId("ll", "eth1", FakeLink.MAC),
            saved,
            link,
            new Random(1));
    sink.client = c;
    return c;
  }

  private static List<String> types(FakeLink link) {
    return link.sent.stream()
        .map(
            s ->
                Dhcp4Message.typeName(s.message().type())
                    + (s.to() == null ? " broadcast" : " to " + s.to().getHostAddress()))
        .toList();
  }

  @Test
  void acquiresALeaseWithTheClientIdAndParameterList() {
    var link = new FakeLink(answering(120), 5, 3_600_000);
    var sink = new Sink();
    sink.stopWhen = s -> s.events.size() == 1;
    client(link, sink, null).run();
    assertThat(sink.events).containsExactly("bound " + IP + "/24");
    assertThat(types(link)).containsExactly("DHCPDISCOVER broadcast", "DHCPREQUEST broadcast");
    var request = link.sent.get(1).message();
    assertThat(request.option(Dhcp4Option.CLIENT_ID)).containsExactly(1, 2, 0, 0, 0, 0, 1);
    assertThat(request.option(Dhcp4Option.REQUESTED_IP)).containsExactly(Dhcp4Client.ip(IP));
    assertThat(request.option(Dhcp4Option.SERVER_ID)).containsExactly(Dhcp4Client.ip(SERVER));
    assertThat(request.option(Dhcp4Option.PARAMETERS)).contains(Dhcp4Option.CLASSLESS_ROUTES);
    assertThat(request.xid()).isEqualTo(link.sent.get(0).message().xid());
  }

  /**
   * dnsmasq pings an address for 3 s before offering it, so its OFFER answers the first DISCOVER
   * after the client retransmitted: retransmissions keep the xid, and that OFFER is taken.
   */
  @Test
  void anOfferToAnEarlierRetransmissionOfTheDiscoverIsTaken() {
    var link = new FakeLink(answering(120), 3000, 3_600_000);
    var sink = new Sink();
    sink.stopWhen = s -> s.events.size() == 1;
    client(link, sink, null).run();
    assertThat(sink.events).containsExactly("bound " + IP + "/24");
    var discovers =
        link.sent.stream().filter(s -> s.message().type() == Dhcp4Message.DISCOVER).toList();
    assertThat(discovers).hasSizeGreaterThan(1);
    assertThat(discovers.stream().map(s -> s.message().xid()).distinct()).hasSize(1);
  }

  @Test
  void renewsUnicastAtT1RebindsBroadcastAtT2AndDropsTheLeaseAtExpiry() {
    var acks = new int[] {0};
    var link =
        new FakeLink(
            (l, s) -> {
              var m = s.message();
              if (m.type() == Dhcp4Message.DISCOVER && acks[0] == 0) {
                return List.of(reply(m, Dhcp4Message.OFFER, 120, 10L, 20L));
              }
              if (m.type() == Dhcp4Message.REQUEST && acks[0] < 2) {
                acks[0]++;
                return List.of(reply(m, Dhcp4Message.ACK, 120, 10L, 20L));
              }
              return List.of(); // the server is gone after the first renewal
            },
            1,
            3_600_000);
    var sink = new Sink();
    sink.stopWhen = s -> s.events.stream().anyMatch(e -> e.startsWith("lost"));
    long start = link.now();
    client(link, sink, null).run();
    assertThat(sink.events)
        .containsExactly(
            "bound " + IP + "/24",
            "bound " + IP + "/24 (renewed)",
            "lost " + IP + "/24: the lease expired (no server answered since T1)");
    var sent = types(link);
    assertThat(sent.subList(0, 3))
        .containsExactly(
            "DHCPDISCOVER broadcast", "DHCPREQUEST broadcast", "DHCPREQUEST to " + SERVER);
    // After the renewal at ~10 s: unicast renewals until T2 (30 s), broadcasts until expiry.
    assertThat(sent).contains("DHCPREQUEST to " + SERVER, "DHCPREQUEST broadcast");
    var renewing = link.sent.get(2).message();
    assertThat(renewing.ciaddr().getHostAddress()).isEqualTo(IP);
    assertThat(renewing.option(Dhcp4Option.SERVER_ID)).isNull();
    assertThat(renewing.option(Dhcp4Option.REQUESTED_IP)).isNull();
    // Renewed at ~10 s for 120 s: the lease ends ~130 s after the start, not before.
    assertThat(link.elapsedSeconds(start)).isBetween(129L, 132L);
    var rebinds =
        link.sent.stream()
            .filter(s -> s.to() == null && s.message().type() == Dhcp4Message.REQUEST)
            .skip(1)
            .toList();
    assertThat(rebinds).isNotEmpty();
    assertThat(rebinds.get(0).at() - start).isGreaterThanOrEqualTo(30_000);
  }

  @Test
  void aNakWhileRenewingDropsTheLeaseAndStartsOver() {
    var requests = new int[] {0};
    var link =
        new FakeLink(
            (l, s) -> {
              var m = s.message();
              if (m.type() == Dhcp4Message.DISCOVER) {
                return List.of(reply(m, Dhcp4Message.OFFER, 120, null, null));
              }
              return List.of(
                  reply(
                      m,
                      ++requests[0] == 2 ? Dhcp4Message.NAK : Dhcp4Message.ACK,
                      120,
                      null,
                      null));
            },
            1,
            3_600_000);
    var sink = new Sink();
    sink.stopWhen = s -> s.events.size() == 3;
    client(link, sink, null).run();
    assertThat(sink.events)
        .containsExactly(
            "bound " + IP + "/24",
            "lost " + IP + "/24: the server refused the lease (DHCPNAK)",
            "bound " + IP + "/24");
    assertThat(types(link))
        .containsSubsequence(
            "DHCPREQUEST to " + SERVER, "DHCPDISCOVER broadcast", "DHCPREQUEST broadcast");
  }

  @Test
  void startsWithASavedLeaseByInitRebootAndKeepsItWhenNobodyAnswers() {
    var link = new FakeLink((l, s) -> List.of(), 1, 3_600_000);
    var sink = new Sink();
    sink.stopWhen = s -> s.events.size() == 1;
    var saved =
        new Lease4(
            IP,
            24,
            SERVER,
            "02:00:00:00:00:fe",
            List.of(SERVER),
            List.of(),
            false,
            List.of(),
            List.of(),
            600,
            300,
            525,
            link.now() - 100_000);
    client(link, sink, saved).run();
    assertThat(sink.events).containsExactly("bound " + IP + "/24");
    assertThat(types(link)).containsOnly("DHCPREQUEST broadcast");
    var m = link.sent.get(0).message();
    assertThat(m.option(Dhcp4Option.REQUESTED_IP)).containsExactly(Dhcp4Client.ip(IP));
    assertThat(m.option(Dhcp4Option.SERVER_ID)).isNull();
    assertThat(m.ciaddr()).isEqualTo(Dhcp4Message.ANY);
  }

  @Test
  void releaseIsUnicastToTheServerAndSuspendSendsNothing() {
    for (var mode : List.of(Dhcp4Client.Stop.RELEASE, Dhcp4Client.Stop.SUSPEND)) {
      var link = new FakeLink(answering(120), 1, 3_600_000);
      var sink = new Sink();
      sink.mode = mode;
      sink.stopWhen = s -> s.events.size() == 1;
      client(link, sink, null).run();
      if (mode == Dhcp4Client.Stop.RELEASE) {
        assertThat(types(link)).endsWith("DHCPRELEASE to " + SERVER);
        assertThat(link.sent.get(link.sent.size() - 1).message().ciaddr().getHostAddress())
            .isEqualTo(IP);
        assertThat(sink.events).endsWith("lost " + IP + "/24: released");
      } else {
        assertThat(types(link)).doesNotContain("DHCPRELEASE to " + SERVER);
        assertThat(sink.events).endsWith("lost " + IP + "/24: DHCP turned off (kept)");
      }
    }
  }

  @Test
  void anExpiredSavedLeaseIsDroppedAndTheClientDiscovers() {
    var link = new FakeLink(answering(120), 1, 3_600_000);
    var sink = new Sink();
    sink.stopWhen = s -> s.events.size() == 2;
    var saved =
        new Lease4(
            "198.18.70.150",
            24,
            SERVER,
            null,
            List.of(),
            List.of(),
            false,
            List.of(),
            List.of(),
            60,
            30,
            50,
            link.now() - 61_000);
    client(link, sink, saved).run();
    assertThat(sink.events)
        .containsExactly("lost 198.18.70.150/24: the saved lease expired", "bound " + IP + "/24");
    assertThat(types(link).get(0)).isEqualTo("DHCPDISCOVER broadcast");
  }

  static Map<Integer, byte[]> none() {
    return Map.of();
  }
}
