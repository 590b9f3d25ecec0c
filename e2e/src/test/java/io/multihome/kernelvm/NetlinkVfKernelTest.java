package io.multihome.kernelvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.agent.netlink.HwAddr;
import io.multihome.agent.netlink.NetlinkException;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.agent.netlink.Vf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * VF attributes set by the project's own netlink code ({@code LinkOps.setVf}: RTM_NEWLINK with
 * IFLA_VFINFO_LIST on the PF) on a netdevsim PF, read back by the same code (IFLA_VFINFO_LIST of a
 * dump with RTEXT_FILTER_VF) and, independently, by {@code ip -j -d link show}.
 */
@Tag("kernel-vm")
class NetlinkVfKernelTest {
  private TestNetns netns;
  private Netdevsim sim;
  private RtNetlink nl;

  @BeforeEach
  void pfWithThreeVfs() {
    KernelFeature.require(KernelFeature.NETDEVSIM);
    netns = TestNetns.create("mh-sv-");
    sim = Netdevsim.create(netns);
    sim.setNumVfs(3);
    nl = RtNetlink.openNamed(netns.name());
  }

  @AfterEach
  void close() {
    if (nl != null) {
      nl.close();
    }
    if (netns != null) {
      netns.close();
    }
  }

  @Test
  void setsEveryVfAttributeAndReadsItBack() {
    var mac = HwAddr.parse("02:00:5e:10:00:01");
    nl.links()
        .setVf(
            sim.port,
            Vf.of(0)
                .withMac(mac)
                .withVlan(10, 3, null)
                .withSpoofchk(true)
                .withTrust(true)
                .withLinkState(2)
                .withRate(10, 100));
    nl.links().setVf(sim.port, Vf.of(1).withVlan(20, 0, 0x88a8).withLinkState(1));

    var link = nl.links().get(sim.port);
    assertThat(link.numVfs()).isEqualTo(3);
    assertThat(link.vfs()).hasSize(3);
    var vf0 = link.vfs().get(0);
    assertThat(vf0.vf()).isZero();
    assertThat(vf0.mac()).isEqualTo(mac);
    assertThat(vf0.vlan()).isEqualTo(10);
    assertThat(vf0.qos()).isEqualTo(3);
    assertThat(vf0.spoofchk()).isTrue();
    assertThat(vf0.trust()).isTrue();
    assertThat(vf0.linkState()).isEqualTo(2);
    assertThat(vf0.minTxRate()).isEqualTo(10);
    assertThat(vf0.maxTxRate()).isEqualTo(100);
    var vf1 = link.vfs().get(1);
    assertThat(vf1.vlan()).isEqualTo(20);
    assertThat(vf1.vlanProto()).isEqualTo(0x88a8);
    assertThat(vf1.linkState()).isEqualTo(1);
    assertThat(link.vfs().get(2).trust()).isFalse();

    var ip0 = vfByIp(0);
    assertThat(ip0.path("address").asText()).isEqualTo("02:00:5e:10:00:01");
    assertThat(ip0.at("/vlan_list/0/vlan").asInt()).isEqualTo(10);
    assertThat(ip0.at("/vlan_list/0/qos").asInt()).isEqualTo(3);
    assertThat(ip0.path("spoofchk").asBoolean()).isTrue();
    assertThat(ip0.path("trust").asBoolean()).isTrue();
    assertThat(ip0.path("link_state").asText()).isEqualTo("disable");
    assertThat(ip0.at("/rate/min_tx").asInt()).isEqualTo(10);
    assertThat(ip0.at("/rate/max_tx").asInt()).isEqualTo(100);
    var ip1 = vfByIp(1);
    assertThat(ip1.at("/vlan_list/0/vlan").asInt()).isEqualTo(20);
    assertThat(ip1.at("/vlan_list/0/protocol").asText()).isEqualTo("802.1ad");
    assertThat(ip1.path("link_state").asText()).isEqualTo("enable");
  }

  @Test
  void resetsToDefaults() {
    nl.links().setVf(sim.port, Vf.of(2).withVlan(30, 1, null).withTrust(true).withLinkState(2));

    nl.links().setVf(sim.port, Vf.of(2).withVlan(0, 0, null).withTrust(false).withLinkState(0));

    var vf2 = nl.links().get(sim.port).vfs().get(2);
    assertThat(vf2.vlan()).isZero();
    assertThat(vf2.trust()).isFalse();
    assertThat(vf2.linkState()).isZero();
    assertThat(vfByIp(2).path("link_state").asText()).isEqualTo("auto");
  }

  @Test
  void aVfBeyondTheCountIsRefusedByTheKernel() {
    assertThatThrownBy(() -> nl.links().setVf(sim.port, Vf.of(3).withTrust(true)))
        .isInstanceOf(NetlinkException.class);
    assertThat(nl.links().get(sim.port).vfs()).extracting(Vf::trust).containsOnly(false);
  }

  private JsonNode vfByIp(int index) {
    for (var vf : netns.link(sim.port).path("vfinfo_list")) {
      if (vf.path("vf").asInt() == index) {
        return vf;
      }
    }
    throw new AssertionError("no vf " + index + " on " + sim.port);
  }
}
