package io.multihome.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.state.StateParser;
import io.multihome.state.StateValidator;
import io.multihome.state.StateWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code show} → {@code validate} → {@code apply} is a no-op on every state our own show prints
 * (issue 15, deliverable 3): several namespaces, each made by ip(8) with what the engine manages.
 */
@Timeout(120)
class ShowRoundTripKernelTest extends EngineNetnsTestBase {

  private void assertShowAppliesBackAsNothing() throws Exception {
    var before = ns.fullState();
    var yaml = StateWriter.toYaml(engine.show(n -> true));
    var parsed = StateParser.parse(yaml);
    assertThat(parsed.problems()).as(yaml).isEmpty();
    var names = engine.snapshot().byName().keySet();
    assertThat(StateValidator.validate(parsed.state(), names::contains)).as(yaml).isEmpty();
    assertThat(engine.plan(parsed.state()).describe()).as(yaml).isEmpty();
    var result = engine.apply(parsed.state(), ApplyOptions.defaults());
    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(result.plan().isEmpty()).isTrue();
    assertThat(engine.differences(parsed.state())).isEmpty();
    // An empty plan sent nothing: the namespace is as it was (no timers run here: STP is off).
    assertThat(ns.fullState()).isEqualTo(before);
    // What nmstatectl show prints beyond the configuration.
    assertThat(yaml)
        .contains("running:", "min-mtu:", "max-mtu:", "lldp:", "accept-all-mac-addresses:");
  }

  @Test
  void aFreshNamespaceWithTwoNics() throws Exception {
    assertShowAppliesBackAsNothing();
  }

  @Test
  void everyKindTheEngineManagesWithItsSettings() throws Exception {
    ns.ip(
        "link",
        "add",
        "br0",
        "type",
        "bridge",
        "stp_state",
        "0",
        "group_fwd_mask",
        "8",
        "group_address",
        "01:80:c2:00:00:0e",
        "ageing_time",
        "20000");
    ns.ip("link", "set", "eth2", "master", "br0");
    ns.ip("link", "set", "eth2", "type", "bridge_slave", "cost", "7", "priority", "9");
    ns.ip("link", "set", "br0", "up", "alias", "the bridge");
    ns.ip("addr", "add", "198.18.10.1/24", "dev", "br0");
    ns.ip("addr", "add", "2001:db8:10::1/64", "dev", "br0");
    ns.ip("addr", "add", "198.18.11.1/24", "dev", "eth1");
    ns.ip("link", "add", "mv0", "link", "eth1", "type", "macvlan", "mode", "bridge");
    ns.ip(
        "link", "add", "mt0", "link", "eth1-p", "type", "macvtap", "mode", "passthru", "nopromisc");
    ns.ip(
        "link",
        "add",
        "vx0",
        "type",
        "vxlan",
        "id",
        "10",
        "remote",
        "198.18.11.2",
        "local",
        "198.18.11.1",
        "dev",
        "eth1",
        "dstport",
        "4789",
        "nolearning");
    ns.ip("link", "add", "ve0", "type", "veth", "peer", "name", "ve0-p");
    ns.ip("link", "set", "ve0", "promisc", "on");
    for (var l : new String[] {"mv0", "vx0", "ve0", "ve0-p"}) {
      ns.ip("link", "set", l, "up");
    }
    ns.ip("route", "add", "203.0.113.0/24", "via", "198.18.10.254", "metric", "50");
    ns.ip("route", "append", "203.0.113.0/24", "via", "198.18.10.253", "metric", "50");
    ns.ip("route", "add", "198.19.0.0/16", "via", "198.18.11.254", "table", "100");
    ns.ip("route", "add", "blackhole", "198.19.200.0/24");
    ns.ip("-6", "route", "add", "2001:db8:20::/64", "via", "2001:db8:10::fe", "metric", "7");
    ns.ip("-6", "route", "append", "2001:db8:20::/64", "via", "2001:db8:10::fd", "metric", "7");
    ns.ip("rule", "add", "from", "198.18.11.0/24", "lookup", "100", "priority", "100");
    assertShowAppliesBackAsNothing();
  }

  @Test
  void downLinksLoopbackDownAndIpv6Disabled() throws Exception {
    ns.ip("addr", "flush", "dev", "lo");
    ns.ip("link", "set", "lo", "down");
    ns.ip("link", "set", "eth2", "down");
    ns.sh("sysctl", "-qw", "net.ipv6.conf.eth1.disable_ipv6=1");
    ns.ip("link", "add", "br9", "type", "bridge");
    assertShowAppliesBackAsNothing();
  }
}
