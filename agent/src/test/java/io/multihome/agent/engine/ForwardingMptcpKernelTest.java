package io.multihome.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.state.DesiredState;
import io.multihome.state.StateParser;
import io.multihome.state.StateWriter;
import io.multihome.testkit.KernelTier;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Per-interface {@code ipv4.forwarding} (net.ipv4.conf.IFACE.forwarding) and {@code
 * mptcp.address-flags} (MPTCP endpoints over the mptcp_pm generic netlink family): applied, read
 * back by sysctl / {@code ip mptcp endpoint}, shown, verified and rolled back.
 */
@Timeout(120)
class ForwardingMptcpKernelTest extends EngineNetnsTestBase {

  private static DesiredState state(String yaml) throws IOException {
    var parsed = StateParser.parse(yaml);
    assertThat(parsed.problems()).isEmpty();
    return parsed.state();
  }

  private String sysctl(String iface) {
    return ns.sh("sysctl", "-n", "net.ipv4.conf." + iface + ".forwarding").strip();
  }

  @Test
  void forwardingIsTheInterfacesSysctlAppliedShownAndRolledBack() throws Exception {
    assertThat(sysctl("eth1")).isEqualTo("0");
    var on = state("interfaces: [{name: eth1, ipv4: {forwarding: true}}]");
    var failing =
        engine.apply(on, ApplyOptions.defaults().withProbes(List.of(s -> "the probe says no")));
    assertThat(failing).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(sysctl("eth1")).isEqualTo("0");

    var result = engine.apply(on, ApplyOptions.defaults());
    assertThat(result.plan().describe())
        .containsExactly("sysctl -w net.ipv4.conf.eth1.forwarding=1");
    assertThat(sysctl("eth1")).isEqualTo("1");
    assertThat(sysctl("eth2")).isEqualTo("0");
    var shown = engine.show(n -> n.equals("eth1") || n.equals("eth2"));
    assertThat(shown.interfaces().get(0).common().ipv4().forwarding()).isTrue();
    assertThat(shown.interfaces().get(1).common().ipv4().forwarding()).isFalse();
    assertThat(engine.plan(on).isEmpty()).isTrue();

    // A forwarding turned off behind the engine's back is a verification difference.
    ns.sh("sysctl", "-qw", "net.ipv4.conf.eth1.forwarding=0");
    assertThat(engine.differences(on))
        .contains("interfaces[eth1].ipv4.forwarding: desired true, current false");
  }

  private String endpoints() {
    return ns.ip("mptcp", "endpoint", "show");
  }

  @Test
  void mptcpFlagsMakeEveryAddressAnEndpoint() throws Exception {
    boolean mptcp = MptcpEndpoints.available(ns.target());
    KernelTier.require(mptcp, "kernel lacks MPTCP (CONFIG_MPTCP, generic netlink mptcp_pm)");
    ns.ip("addr", "add", "198.18.9.1/24", "dev", "eth1");
    var want =
        state(
            "interfaces: [{name: eth1, ipv4: {enabled: true, address: [{ip: 198.18.9.1,"
                + " prefix-length: 24}, {ip: 198.18.9.2, prefix-length: 24}]}, ipv6: {enabled:"
                + " true, address: [{ip: '2001:db8:9::1', prefix-length: 64}]},"
                + " mptcp: {address-flags: [subflow, backup]}}]");
    var before = endpoints();
    var failing =
        engine.apply(want, ApplyOptions.defaults().withProbes(List.of(s -> "the probe says no")));
    assertThat(failing).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(endpoints()).isEqualTo(before);

    var result = engine.apply(want, ApplyOptions.defaults());
    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(result.plan().describe())
        .contains(
            "ip mptcp endpoint add 198.18.9.1 dev eth1 subflow backup",
            "ip mptcp endpoint add 198.18.9.2 dev eth1 subflow backup",
            "ip mptcp endpoint add 2001:db8:9::1 dev eth1 subflow backup");
    assertThat(endpoints())
        .contains("198.18.9.1 id", "198.18.9.2 id", "2001:db8:9::1 id")
        .contains("subflow backup dev eth1");
    var yaml = StateWriter.toYaml(engine.show(n -> n.equals("eth1")));
    assertThat(yaml).contains("mptcp:", "address-flags:", "- subflow", "- backup");
    assertThat(engine.plan(want).isEmpty()).isTrue();

    // Other flags replace the endpoints; none removes them.
    var signal = state("interfaces: [{name: eth1, mptcp: {address-flags: [signal]}}]");
    assertThat(engine.apply(signal, ApplyOptions.defaults()))
        .isInstanceOf(ApplyResult.Applied.class);
    assertThat(endpoints()).contains("signal dev eth1").doesNotContain("backup");
    var none = state("interfaces: [{name: eth1, mptcp: {address-flags: []}}]");
    assertThat(engine.apply(none, ApplyOptions.defaults())).isInstanceOf(ApplyResult.Applied.class);
    assertThat(endpoints()).doesNotContain("198.18.9");
  }
}
