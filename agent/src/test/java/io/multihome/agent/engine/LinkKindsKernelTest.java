package io.multihome.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multihome.state.DesiredState;
import io.multihome.state.StateParser;
import io.multihome.state.StateWriter;
import io.multihome.testkit.KernelTier;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * vrf, ipvlan, hsr and macsec links and every bond option with {@code ports-config}, through the
 * engine: created as iproute2 shows them, printed by {@code show}, verified, settings the kernel
 * fixes refused at their path, and rolled back to the namespace as it was. The development kernel
 * lacks these kinds: each test probes its kind with ip(8) and skips naming it there; in the
 * kernel-VM tier they must run.
 */
@Tag("kernel-vm")
@Timeout(180)
class LinkKindsKernelTest extends EngineNetnsTestBase {

  private void require(String kind, String module, String... probe) {
    var cmd = new java.util.ArrayList<>(List.of("ip", "-n", ns.name, "link", "add", "mhprobe0"));
    cmd.addAll(List.of(probe));
    String error = null;
    try {
      EngineNetns.run(cmd);
      ns.ip("link", "del", "mhprobe0");
    } catch (IllegalStateException e) {
      error = e.getMessage();
    }
    KernelTier.require(
        error == null, "kernel lacks " + kind + " links (module " + module + ") [" + error + "]");
  }

  private static DesiredState state(String yaml) throws IOException {
    var parsed = StateParser.parse(yaml);
    assertThat(parsed.problems()).isEmpty();
    return parsed.state();
  }

  private String shown(String name) {
    return StateWriter.toYaml(engine.show(n -> n.equals(name)));
  }

  /** Applying {@code yaml} with a failing probe leaves the namespace exactly as it was. */
  private void rollsBack(DesiredState desired) {
    var before = ns.fullStateSorted();
    var result =
        engine.apply(
            desired, ApplyOptions.defaults().withProbes(List.of(s -> "the probe says no")));
    assertThat(result).isInstanceOf(ApplyResult.RolledBack.class);
    EngineNetns.awaitEqual(before, ns::fullStateSorted);
  }

  private void applies(DesiredState desired) {
    var result = engine.apply(desired, ApplyOptions.defaults());
    assertThat(result).as(String.valueOf(result)).isInstanceOf(ApplyResult.Applied.class);
    assertThat(engine.plan(desired).isEmpty()).as("applying again is nothing to do").isTrue();
  }

  @Test
  void vrfTakesItsPortWithItsAddressAndRoutesInItsTable() throws Exception {
    require("vrf", "vrf", "type", "vrf", "table", "1");
    var vrf =
        state(
            "interfaces: [{name: vrf102, type: vrf, state: up, vrf: {port: [eth1],"
                + " route-table-id: 102}}, {name: eth1, type: ethernet, state: up, ipv4:"
                + " {enabled: true, dhcp: false, address: [{ip: 198.18.12.251, prefix-length:"
                + " 24}]}}]\n"
                + "routes: {config: [{destination: 203.0.113.0/24, metric: 150,"
                + " next-hop-address: 198.18.12.1, next-hop-interface: eth1, table-id: 102},"
                + " {destination: 203.0.113.128/25, next-hop-address: 198.18.12.1,"
                + " next-hop-interface: eth1, vrf-name: vrf102}]}");
    rollsBack(vrf);
    applies(vrf);
    assertThat(ns.ip("-d", "link", "show", "vrf102")).contains("vrf table 102");
    assertThat(ns.ip("link", "show", "eth1")).contains("master vrf102");
    assertThat(ns.ip("addr", "show", "eth1")).contains("198.18.12.251/24");
    assertThat(ns.ip("route", "show", "table", "102"))
        .contains("203.0.113.0/24 via 198.18.12.1 dev eth1", "203.0.113.128/25 via 198.18.12.1");
    assertThat(shown("vrf102")).contains("type: vrf", "route-table-id: 102", "- eth1");
    assertThatThrownBy(
            () ->
                engine.plan(
                    state("interfaces: [{name: vrf102, type: vrf, vrf: {route-table-id: 103}}]")))
        .isInstanceOfSatisfying(
            PlanException.class,
            e ->
                assertThat(e.problems().get(0).path())
                    .isEqualTo("interfaces[0].vrf.route-table-id"));
    applies(state("interfaces: [{name: vrf102, type: vrf, vrf: {port: []}}]"));
    assertThat(ns.ip("link", "show", "eth1")).doesNotContain("master");
  }

  @Test
  void ipvlanIsCreatedWithItsModeAndFlags() throws Exception {
    require("ipvlan", "ipvlan", "link", "eth1", "type", "ipvlan", "mode", "l2");
    var ipvlan =
        state(
            "interfaces: [{name: ipvlan0, type: ipvlan, state: up, ipvlan: {base-iface: eth1,"
                + " mode: l2, private: true}}]");
    rollsBack(ipvlan);
    applies(ipvlan);
    assertThat(ns.ip("-d", "link", "show", "ipvlan0")).contains("ipvlan  mode l2 private");
    assertThat(shown("ipvlan0"))
        .contains("type: ipvlan", "base-iface: eth1", "mode: l2", "private: true", "vepa: false");
    assertThatThrownBy(
            () ->
                engine.plan(
                    state("interfaces: [{name: ipvlan0, type: ipvlan, ipvlan: {mode: l3}}]")))
        .isInstanceOfSatisfying(
            PlanException.class,
            e -> assertThat(e.problems().get(0).path()).isEqualTo("interfaces[0].ipvlan.mode"));
    applies(state("interfaces: [{name: ipvlan0, type: ipvlan, state: absent}]"));
    assertThat(ns.ip("link", "show")).doesNotContain("ipvlan0");
  }

  @Test
  void hsrRunsPrpOverTwoPorts() throws Exception {
    require("hsr", "hsr", "type", "hsr", "slave1", "eth1", "slave2", "eth2");
    // nmstate's examples/hsr0_up.yml.
    var hsr =
        state(
            "interfaces: [{name: hsr0, type: hsr, state: up, hsr: {port1: eth1, port2: eth2,"
                + " multicast-spec: 40, protocol: prp}}]");
    rollsBack(hsr);
    applies(hsr);
    assertThat(ns.ip("-d", "link", "show", "hsr0"))
        .contains("slave1 eth1", "slave2 eth2", "supervision 01:15:4e:00:01:28", "proto 1");
    assertThat(shown("hsr0"))
        .contains("type: hsr", "port1: eth1", "port2: eth2", "multicast-spec: 40", "protocol: prp");
    assertThatThrownBy(
            () -> engine.plan(state("interfaces: [{name: hsr0, type: hsr, hsr: {protocol: hsr}}]")))
        .isInstanceOfSatisfying(
            PlanException.class,
            e -> assertThat(e.problems().get(0).path()).isEqualTo("interfaces[0].hsr.protocol"));
  }

  @Test
  void macsecIsCreatedWithoutKeyAgreementWhichIsRefused() throws Exception {
    require("macsec", "macsec", "link", "eth1", "type", "macsec");
    var macsec =
        state(
            "interfaces: [{name: macsec0, type: macsec, state: up, macsec: {base-iface: eth1,"
                + " encrypt: true, port: 5, validation: strict, send-sci: true}}]");
    rollsBack(macsec);
    applies(macsec);
    assertThat(ns.ip("-d", "link", "show", "macsec0"))
        .contains("encrypt on", "send_sci on", "validate strict")
        .containsPattern("sci [0-9a-f]{12}0005");
    assertThat(shown("macsec0"))
        .contains(
            "type: macsec",
            "base-iface: eth1",
            "encrypt: true",
            "port: 5",
            "validation: strict",
            "send-sci: true");
    // nmstate's examples/macsec0_up.yml asks for MKA.
    assertThatThrownBy(
            () ->
                engine.plan(
                    state(
                        "interfaces: [{name: macsec1, type: macsec, macsec: {base-iface: eth2,"
                            + " encrypt: true, mka-cak: 50b71a8ef0bd5751ea76de6d6c98c03a,"
                            + " mka-ckn: f2b4297d39da7330910a74abc0449feb, port: 0,"
                            + " validation: strict, send-sci: true}}]")))
        .isInstanceOfSatisfying(
            PlanException.class,
            e -> {
              assertThat(e.problems().get(0).path()).isEqualTo("interfaces[0].macsec.mka-cak");
              assertThat(e.problems().get(0).message()).contains("MKA agent");
            });
  }

  @Test
  void everyBondOptionAndPortsConfigAreAppliedShownAndRolledBack() throws Exception {
    require("bond", "bonding", "type", "bond");
    var bond =
        state(
            "interfaces: [{name: bond0, type: bond, state: up, link-aggregation: {mode:"
                + " active-backup, options: {arp_interval: 100, arp_ip_target:"
                + " '198.18.13.9,198.18.13.10', arp_validate: all, arp_all_targets: all,"
                + " primary_reselect: better, fail_over_mac: active, num_grat_arp: 3,"
                + " resend_igmp: 2, all_slaves_active: delivered, use_carrier: false,"
                + " arp_missed_max: 4, ns_ip6_target: '2001:db8:13::9'},"
                + " port: [eth1, eth2], ports-config: [{name: eth1, priority: -1, queue-id: 1},"
                + " {name: eth2, priority: 2, queue-id: 2}]}}]");
    rollsBack(bond);
    applies(bond);
    var d = ns.ip("-d", "link", "show", "bond0");
    assertThat(d)
        .contains(
            "arp_interval 100",
            "arp_ip_target 198.18.13.9,198.18.13.10",
            "arp_validate all",
            "arp_all_targets all",
            "primary_reselect better",
            "fail_over_mac active",
            "num_grat_arp 3",
            "resend_igmp 2",
            "all_slaves_active 1",
            "use_carrier 0",
            "arp_missed_max 4",
            "ns_ip6_target 2001:db8:13::9");
    assertThat(ns.ip("-d", "link", "show", "eth1")).contains("queue_id 1", "prio -1");
    assertThat(ns.ip("-d", "link", "show", "eth2")).contains("queue_id 2", "prio 2");
    assertThat(shown("bond0"))
        .contains(
            "arp_interval: 100",
            "arp_validate: all",
            "fail_over_mac: active",
            "all_slaves_active: delivered",
            "use_carrier: false",
            "ports-config:",
            "queue-id: 1",
            "priority: -1");

    // Options of an existing bond change in place; a failure puts them back. (The ARP monitor
    // flaps the active port and fail_over_mac moves the MAC with it: compare the settings.)
    var change =
        state(
            "interfaces: [{name: bond0, type: bond, link-aggregation: {options: {arp_interval:"
                + " 200, arp_ip_target: 198.18.13.11, resend_igmp: 5}, ports-config: [{name:"
                + " eth2, queue-id: 3}]}}]");
    var settings = bondSettings();
    var result =
        engine.apply(change, ApplyOptions.defaults().withProbes(List.of(s -> "the probe says no")));
    assertThat(result).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(bondSettings()).isEqualTo(settings);
    applies(change);
    assertThat(ns.ip("-d", "link", "show", "bond0"))
        .contains("arp_interval 200", "arp_ip_target 198.18.13.11 ", "resend_igmp 5");
    assertThat(ns.ip("-d", "link", "show", "eth2")).contains("queue_id 3");
  }

  /** The bond's options and its ports' queue ids and priorities, without the monitor's state. */
  private String bondSettings() {
    var sb = new StringBuilder();
    for (var name : List.of("bond0", "eth1", "eth2")) {
      var line = ns.ip("-d", "-o", "link", "show", name);
      sb.append(
              line.replaceAll("active_slave \\S+ ", "")
                  .replaceAll("state \\S+ mii_status \\S+ link_failure_count \\d+ ", "")
                  .replaceAll("link/ether \\S+", "")
                  .replaceAll("perm_hwaddr \\S+ ", "")
                  .replaceAll("state (UP|DOWN|UNKNOWN|LOWERLAYERDOWN)", "")
                  .replaceAll("<[^>]*>", ""))
          .append('\n');
    }
    return sb.toString();
  }

  @Test
  void infinibandPartitionsAreRefusedWithTheReason() throws Exception {
    // nmstate's examples/infiniband_pkey_ipoib_create.yml on a namespace without InfiniBand.
    var ib =
        state(
            "interfaces: [{name: ib0.80ff, type: infiniband, state: up, infiniband: {base-iface:"
                + " eth1, mode: datagram, pkey: '0x80ff'}}]");
    assertThatThrownBy(() -> engine.plan(ib))
        .isInstanceOfSatisfying(
            PlanException.class,
            e -> {
              assertThat(e.problems().get(0).path()).isEqualTo("interfaces[0].infiniband");
              assertThat(e.problems().get(0).message()).contains("needs an InfiniBand device");
            });
  }
}
