package io.multihome.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 item 1: OpenShift Virtualization's bridge attachment, {@code "type": "cnv-bridge"} with
 * {@code macspoofchk}, runs the reference bridge plugin with the same config: two pods on one
 * bridge talk; a pod that changes its MAC (sends with a source MAC that is not its own) gets no
 * reply, because the plugin's nftables rules in the node drop its frames; without macspoofchk the
 * same change goes through. {@code vlan} needs bridge VLAN filtering: {@link
 * CnvBridgeVlanKernelTest}, kernel-VM tier.
 */
class CnvBridgeKernelTest {

  /**
   * /work/shared/seed-examples/s001-cnv-bridge/linux-bridge-dev.yml (the OpenShift Virtualization
   * document's NAD), spec.config verbatim: no IPAM, the VMs address themselves.
   */
  static final String SEED_NAD =
      """
      {
        "cniVersion": "0.3.1",
        "name": "bridge-dev",
        "type": "cnv-bridge",
        "bridge": "dev-bridge",
        "macspoofchk": true,
        "vlan": 0
      }""";

  @TempDir Path tmp;
  private KernelFixture k;
  private CniHarness h;

  @BeforeEach
  void setUp() throws Exception {
    k = new KernelFixture("mh-cnv");
    h = CniHarness.referencePlugins(tmp, k);
  }

  @AfterEach
  void tearDown() {
    if (k != null) {
      k.close();
    }
  }

  private String vm(String name, String nad, String address) throws Exception {
    return vm(k, h, name, nad, address);
  }

  /** A pod on the NAD in namespace multus-test, addressed as a VM would address itself. */
  static String vm(KernelFixture k, CniHarness h, String name, String nad, String address)
      throws Exception {
    String netns = k.newNamespace(name);
    h.pod("multus-test", name, "uid-" + name, nad);
    var add =
        h.call("ADD", "cid-" + name, KernelFixture.path(netns).toString(), "multus-test", name);
    assertThat(add.exitCode()).as(CniHarness.text(add)).isZero();
    k.ip(netns, "addr", "add", address + "/24", "dev", "net1");
    return netns;
  }

  private String mac(String netns) throws Exception {
    return k.ip(netns, "-o", "link", "show", "dev", "net1").split("link/ether ")[1].split(" ")[0];
  }

  private void changeMac(String netns, String mac) throws Exception {
    k.ip(netns, "link", "set", "dev", "net1", "address", mac);
  }

  private String nftRuleset() throws Exception {
    return KernelFixture.run(List.of("ip", "netns", "exec", k.node, "nft", "list", "ruleset"));
  }

  @Test
  void theSeedNadRunsTheReferenceBridgeAndDropsSpoofedSourceMacs() throws Exception {
    h.nads.put("multus-test", "bridge-dev", SEED_NAD);
    String a = vm("vm-a", "bridge-dev", "198.18.42.1");
    String b = vm("vm-b", "bridge-dev", "198.18.42.2");

    // The reference bridge plugin made dev-bridge in the node with both pods' host ends on it.
    assertThat(k.ip(k.node, "-o", "link", "show", "master", "dev-bridge").lines()).hasSize(2);
    assertThat(k.ping(a, "198.18.42.2")).isTrue();
    // macspoofchk: per-port nftables chains in the node's bridge "nat" table, naming each MAC.
    String rules = nftRuleset();
    assertThat(rules).contains("table bridge nat").contains(mac(a)).contains(mac(b));

    // vm-b now sends with a source MAC the plugin did not record: its replies are dropped.
    String original = mac(b);
    changeMac(b, "02:00:c6:12:2a:99");
    k.ip(a, "neigh", "flush", "all");
    assertThat(k.ping(a, "198.18.42.2")).as("spoofed source MAC must be dropped").isFalse();
    // Back to its own MAC: traffic passes again (the path itself was never broken).
    changeMac(b, original);
    k.ip(a, "neigh", "flush", "all");
    assertThat(k.ping(a, "198.18.42.2")).isTrue();

    // DEL (while the sandbox exists, as the kubelet does it) removes the ports and the chains.
    String macA = mac(a);
    for (var pod : List.of(List.of("vm-a", a), List.of("vm-b", b))) {
      var del =
          h.call(
              "DEL",
              "cid-" + pod.get(0),
              KernelFixture.path(pod.get(1)).toString(),
              "multus-test",
              pod.get(0));
      assertThat(del.exitCode()).as(CniHarness.text(del)).isZero();
    }
    assertThat(nftRuleset()).doesNotContain(original).doesNotContain(macA);
    assertThat(k.ip(k.node, "-o", "link", "show", "master", "dev-bridge")).isBlank();
  }

  @Test
  void withoutMacspoofchkTheSameMacChangeGoesThrough() throws Exception {
    h.nads.put(
        "multus-test",
        "open-dev",
        SEED_NAD.replace("\"macspoofchk\": true", "\"macspoofchk\": false"));
    String a = vm("vm-c", "open-dev", "198.18.43.1");
    String b = vm("vm-d", "open-dev", "198.18.43.2");
    changeMac(b, "02:00:c6:12:2b:99");
    k.ip(a, "neigh", "flush", "all");
    assertThat(k.ping(a, "198.18.43.2")).isTrue();
  }

  @Test
  void cnvTuningRunsTheReferenceTuningPluginInAChain() throws Exception {
    h.nads.put(
        "multus-test",
        "tuned-dev",
        """
        {"cniVersion":"0.3.1","name":"tuned-dev","plugins":[
          {"type":"cnv-bridge","bridge":"dev-bridge2","macspoofchk":true},
          {"type":"cnv-tuning","dataDir":"%s","mtu":1400,
           "sysctl":{"net.ipv4.conf.IFNAME.arp_ignore":"1"}}]}
        """
            .formatted(tmp.resolve("tuning")));
    String a = vm("vm-e", "tuned-dev", "198.18.44.1");
    assertThat(k.ip(a, "link", "show", "dev", "net1")).contains("mtu 1400");
    assertThat(
            KernelFixture.run(
                    List.of(
                        "ip", "netns", "exec", a, "cat", "/proc/sys/net/ipv4/conf/net1/arp_ignore"))
                .strip())
        .isEqualTo("1");
    var del = h.call("DEL", "cid-vm-e", KernelFixture.path(a).toString(), "multus-test", "vm-e");
    assertThat(del.exitCode()).as(CniHarness.text(del)).isZero();
  }
}
