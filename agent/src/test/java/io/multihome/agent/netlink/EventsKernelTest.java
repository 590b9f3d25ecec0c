package io.multihome.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.multihome.agent.netlink.LinkKind.Bridge;
import io.multihome.agent.netlink.NetlinkEvent.Group;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class EventsKernelTest {

  @Test
  void deliversLinkAddressRouteAndRuleEvents() {
    try (var ns = new ThrowawayNetns();
        var handle = NetNs.named(ns.name)) {
      List<NetlinkEvent> seen = new CopyOnWriteArrayList<>();
      try (var events = NetlinkEvents.subscribe(handle, EnumSet.allOf(Group.class), 0, seen::add)) {
        ns.nl.links().add(LinkSpec.of("br0", Bridge.defaults()).withUp(true));
        int br = ns.nl.links().get("br0").index();
        ns.nl.addresses().add(br, IpPrefix.parse("198.18.0.1/24"));
        ns.nl.routes().add(Route.to(IpPrefix.parse("203.0.113.0/24")).dev(br).table(100));
        ns.nl.rules().add(Rule.lookup(Rtnl.AF_INET, 100, 1000));
        ns.nl.links().delete("br0");
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () -> {
                  assertThat(seen)
                      .anySatisfy(
                          e -> {
                            assertThat(e).isInstanceOf(NetlinkEvent.LinkEvent.class);
                            var le = (NetlinkEvent.LinkEvent) e;
                            assertThat(le.link().name()).isEqualTo("br0");
                            assertThat(le.deleted()).isFalse();
                          });
                  assertThat(seen)
                      .anyMatch(
                          e ->
                              e instanceof NetlinkEvent.LinkEvent le
                                  && le.deleted()
                                  && le.link().name().equals("br0"));
                  assertThat(seen)
                      .anyMatch(
                          e ->
                              e instanceof NetlinkEvent.AddressEvent ae
                                  && !ae.deleted()
                                  && ae.address().local().equals(IpPrefix.parse("198.18.0.1/24")));
                  assertThat(seen)
                      .anyMatch(
                          e ->
                              e instanceof NetlinkEvent.RouteEvent re && re.route().table() == 100);
                  assertThat(seen)
                      .anyMatch(
                          e -> e instanceof NetlinkEvent.RuleEvent re && re.rule().table() == 100);
                });
      }
    }
  }

  @Test
  void reportsOverrunWhenListenerFallsBehind() throws Exception {
    try (var ns = new ThrowawayNetns();
        var handle = NetNs.named(ns.name)) {
      var gate = new CountDownLatch(1);
      List<NetlinkEvent> seen = new CopyOnWriteArrayList<>();
      try (var events =
          NetlinkEvents.subscribe(
              handle,
              EnumSet.of(Group.LINK),
              4096,
              e -> {
                seen.add(e);
                try {
                  gate.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                  Thread.currentThread().interrupt();
                }
              })) {
        var reqs = new ArrayList<Request>();
        for (int i = 0; i < 200; i++) {
          reqs.add(LinkOps.addRequest(LinkSpec.of("b" + i, Bridge.defaults())));
        }
        assertThat(ns.nl.executeAll(reqs)).isEmpty();
        gate.countDown();
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(seen).anyMatch(e -> e instanceof NetlinkEvent.Overrun));
      }
    }
  }
}
