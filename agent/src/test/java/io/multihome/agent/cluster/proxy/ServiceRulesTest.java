package io.multihome.agent.cluster.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceRulesTest {

  private static final PodAttachment CLIENT =
      new PodAttachment(
          "/run/netns/client",
          "default/client",
          "default/macvlan1",
          "net1",
          List.of("198.18.70.50", "2001:db8:70::50"));

  @Test
  void clusterIpDnatsToReadyEndpointsAtRandomAndRoutesOutOfTheNetwork() {
    var rules =
        ServiceRules.render(
            List.of(ProxyFixtures.service("web", "macvlan1", "198.18.200.10")),
            List.of(
                ProxyFixtures.slice(
                    "web", "IPv4", 8080, "198.18.70.2", "198.18.70.1", "-198.18.70.3")),
            List.of(CLIENT));
    assertThat(rules.nftScript())
        .startsWith("table inet multihome_services\ndelete table inet multihome_services\n")
        .contains("type nat hook output priority -100; policy accept;")
        .contains("ip daddr 198.18.200.10 tcp dport 80 goto svc_0")
        .contains("numgen random mod 2 vmap { 0 : goto ep_0_0, 1 : goto ep_0_1 }")
        .contains("meta l4proto tcp dnat ip to 198.18.70.1:8080")
        .contains("meta l4proto tcp dnat ip to 198.18.70.2:8080")
        .doesNotContain("198.18.70.3");
    assertThat(rules.routes())
        .containsExactly(new PodRules.ClusterIpRoute("198.18.200.10", "net1", "198.18.70.50"));
  }

  @Test
  void ipv6UsesIp6AndBrackets() {
    var rules =
        ServiceRules.render(
            List.of(ProxyFixtures.service("web6", "default/macvlan1", "2001:db8:200::10")),
            List.of(ProxyFixtures.slice("web6", "IPv6", 8080, "2001:db8:70::1")),
            List.of(CLIENT));
    assertThat(rules.nftScript())
        .contains("ip6 daddr 2001:db8:200::10 tcp dport 80 goto svc_0")
        .contains("dnat ip6 to [2001:db8:70::1]:8080");
    assertThat(rules.routes())
        .extracting(PodRules.ClusterIpRoute::source)
        .containsExactly("2001:db8:70::50");
  }

  @Test
  void withoutEndpointsTheConnectionIsRefusedNotBlackholed() {
    var rules =
        ServiceRules.render(
            List.of(ProxyFixtures.service("web", "macvlan1", "198.18.200.10")),
            List.of(ProxyFixtures.slice("web", "IPv4", 8080, "-198.18.70.1")),
            List.of(CLIENT));
    assertThat(rules.nftScript())
        .contains("ip daddr 198.18.200.10 tcp dport 80 reject with tcp reset");
  }

  @Test
  void headlessOtherNetworksAndOtherFamiliesGetNothing() {
    var headless = ProxyFixtures.service("db", "macvlan1", "None");
    var elsewhere = ProxyFixtures.service("other", "macvlan2", "198.18.200.11");
    var v4only =
        new PodAttachment(
            "/run/netns/c", "default/c", "default/macvlan1", "net1", List.of("198.18.70.9"));
    assertThat(ServiceRules.render(List.of(headless, elsewhere), List.of(), List.of(CLIENT)))
        .isEqualTo(PodRules.NONE);
    assertThat(
            ServiceRules.render(
                List.of(ProxyFixtures.service("web6", "macvlan1", "2001:db8:200::10")),
                List.of(),
                List.of(v4only)))
        .as("no IPv6 address on the network: no IPv6 cluster IP")
        .isEqualTo(PodRules.NONE);
  }
}
