package io.multihome.agent.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Names what stopped an upstream example, from the problem text: the feature it needs and, where
 * another branch of issue 19 brings it, that branch — so the table shows what the total will be
 * once they are merged.
 */
final class UpstreamBlockers {
  private UpstreamBlockers() {}

  private static final Map<Pattern, String> RULES = new LinkedHashMap<>();

  static {
    rule("\\.dpdk|DPDK", "Open vSwitch DPDK (refused: no DPDK here)");
    rule("Open vSwitch|type 'ovs-|ovs-db|ovn", "Open vSwitch");
    rule("capture templates|capture\\.", "capture templates (wip3/capture)");
    rule("\\.dhcp:|DHCP|autoconf|dhcp-client-id|dhcp-duid", "DHCP/autoconf");
    rule("type 'vrf'", "vrf (wip3/links)");
    rule("type 'ipvlan'", "ipvlan (wip3/links)");
    rule("type 'hsr'", "hsr (wip3/links)");
    rule("type 'macsec'", "macsec (wip3/links)");
    rule("type 'infiniband'", "infiniband (wip3/links)");
    rule("to enable balance-slb", "bond balance-slb (needs balance-xor and vlan+srcmac)");
    rule("MACsec Key Agreement|mka-c", "macsec mka-cak/mka-ckn (needs the supplicant service)");
    rule("InfiniBand", "infiniband (refused: no InfiniBand device here or in the kernel VM)");
    rule("ports-config|bond option", "bond options/ports-config (wip3/links)");
    rule("cwnd|initcwnd|initrwnd|quickack|advmss|lock-mtu|weight", "route metrics (wip3/links)");
    rule("forwarding", "forwarding (wip3/links)");
    rule("mptcp", "mptcp (wip3/links)");
    rule("type 'ipsec'", "ipsec (refused: no implementation)");
    rule(
        "ipsec connections need",
        "ipsec (planned; apply refused: no IKE daemon attached, see UpstreamIpsecKernelTest)");
    rule("802\\.1x", "802.1x (needs the supplicant service and an authenticator)");
    rule(
        "not an SR-IOV physical function|sriov_drivers_autoprobe",
        "SR-IOV PF (kernel-VM tier: netdevsim/igb)");
    rule("EOPNOTSUPP", "kernel lacks the kind here (kernel-VM tier)");
    rule("eth666", "names a NIC no node has (upstream's tutorial shows this failure)");
    rule("does not exist", "names a NIC the test node lacks");
  }

  private static void rule(String regex, String feature) {
    RULES.put(Pattern.compile(regex), feature);
  }

  /** The features {@code problems} point at (each once, in rule order). */
  static List<String> classify(List<String> problems) {
    var out = new java.util.LinkedHashSet<String>();
    for (var p : problems) {
      boolean matched = false;
      for (var e : RULES.entrySet()) {
        if (e.getKey().matcher(p).find()) {
          out.add(e.getValue());
          matched = true;
          break;
        }
      }
      if (!matched) {
        out.add("other: " + (p.length() > 80 ? p.substring(0, 77) + "..." : p));
      }
    }
    return List.copyOf(out);
  }
}
