package io.multihome.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.multihome.agent.cni.daemon.CniDaemon;
import io.multihome.agent.cni.nad.Nad;
import io.multihome.agent.cni.nad.NamespacePolicy;
import io.multihome.agent.cni.sriov.EmulatedVfControl;
import io.multihome.agent.cni.sriov.KubeletCheckpointDeviceIds;
import io.multihome.agent.netlink.HwAddr;
import io.multihome.agent.netlink.Vf;
import io.multihome.sriov.sysfs.fake.FakeKernel;
import io.multihome.sriov.sysfs.fake.FakeNic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sriov attachment without SR-IOV hardware: a fake sysfs describes an Intel PF {@code ens1f0}
 * with two VFs whose netdevs {@code ens1f0v0}/{@code ens1f0v1} are real macvlan links on a veth
 * "NIC" in a throwaway node namespace. Move, rename, IPAM and traffic run on the real kernel; the
 * VF attributes (which a macvlan cannot take) go to {@link EmulatedVfControl}, whose calls are
 * asserted.
 */
class SriovAttachmentKernelTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESOURCE = "intel.com/intel_sriov_netdevice";

  @TempDir Path tmp;
  private KernelFixture k;
  private CniHarness h;
  private FakeKernel sysfs;
  private FakeNic nic;
  private final EmulatedVfControl vfs = new EmulatedVfControl();

  @BeforeEach
  void setUp() throws Exception {
    k = new KernelFixture("mh-cni2-w");
    k.ip(k.node, "link", "add", "ens1f0", "type", "veth", "peer", "name", "ens1f0wire");
    k.ip(k.node, "link", "set", "ens1f0", "up");
    k.ip(k.node, "link", "set", "ens1f0wire", "up");
    try {
      for (int i = 0; i < 2; i++) {
        k.ip(
            k.node,
            "link",
            "add",
            "ens1f0v" + i,
            "link",
            "ens1f0",
            "type",
            "macvlan",
            "mode",
            "bridge");
      }
    } catch (java.io.IOException e) {
      assumeTrue(false, "kernel lacks macvlan, needed to emulate VF netdevs: " + e.getMessage());
    }
    nic = FakeNic.intelXxv710("0000:3b:00.0", "ens1f0");
    sysfs = FakeKernel.create(tmp.resolve("sys")).addPfWithVfs(nic, 2);
    Path state = tmp.resolve("state");
    var settings =
        new CniDaemon.Settings(
            tmp.resolve("cni.sock"),
            state,
            List.of(KernelFixture.CNI_BIN),
            tmp.resolve("net.d"),
            NamespacePolicy.open(),
            "kube-system",
            KernelFixture.path(k.node),
            4,
            Duration.ofSeconds(30),
            Duration.ofSeconds(2),
            Map.of());
    var extras =
        new CniDaemon.Extras(
            io.multihome.agent.cni.daemon.PodEvents.none(),
            DeviceIdSource.none(),
            sysfs.root(),
            vfs,
            DeviceInfoFiles.DEFAULT_ROOT,
            null);
    h =
        new CniHarness(
            tmp,
            CniDaemon.executor(settings, extras),
            List.of(KernelFixture.CNI_BIN),
            AttachmentKernelTest.clusterConflist(tmp),
            CniDaemon.nodeDeviceKeeper(settings, extras));
    Path checkpoint = tmp.resolve("kubelet_internal_checkpoint");
    Files.writeString(
        checkpoint,
        """
        {"Data":{"PodDeviceEntries":[
          {"PodUID":"uid-a","ContainerName":"c","ResourceName":"%1$s","DeviceIDs":{"0":["%2$s"]}},
          {"PodUID":"uid-b","ContainerName":"c","ResourceName":"%1$s","DeviceIDs":["%3$s"]}],
          "RegisteredDevices":{"%1$s":["%2$s","%3$s"]}},"Checksum":1}
        """
            .formatted(RESOURCE, nic.vfAddress(0), nic.vfAddress(1)));
    h.devices = new KubeletCheckpointDeviceIds(checkpoint);
    h.nads.put(
        new Nad(
            "apps",
            "sriov-a",
            """
            {"cniVersion":"1.0.0","name":"sriov-a","type":"sriov","vlan":100,"vlanQoS":2,
             "spoofchk":"off","trust":"on","link_state":"enable","min_tx_rate":100,
             "max_tx_rate":1000,
             "ipam":{"type":"host-local","dataDir":"%s",
                     "ranges":[[{"subnet":"198.18.30.0/24","rangeStart":"198.18.30.10",
                                 "rangeEnd":"198.18.30.20"}]]}}
            """
                .formatted(tmp.resolve("ipam-sriov")),
            Map.of("k8s.v1.cni.cncf.io/resourceName", RESOURCE)));
  }

  @AfterEach
  void tearDown() {
    if (sysfs != null) {
      sysfs.close();
    }
    if (k != null) {
      k.close();
    }
  }

  private void add(String pod, String netns, String annotation) throws Exception {
    h.pod("apps", pod, "uid-" + pod, annotation);
    var r = h.call("ADD", "cid-" + pod, KernelFixture.path(netns).toString(), "apps", pod);
    assertThat(r.exitCode()).as(CniHarness.text(r)).isZero();
  }

  private String addressOf(String netns, String ifname) throws Exception {
    return k.ip(netns, "-4", "-o", "addr", "show", "dev", ifname).split("inet ")[1].split("/")[0];
  }

  private long leases() throws Exception {
    Path dir = tmp.resolve("ipam-sriov").resolve("sriov-a");
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("198.")).count();
    }
  }

  @Test
  void podsGetVfsByCheckpointPingEachOtherAndDelGivesThemBack() throws Exception {
    String p1 = k.newNamespace("p1");
    String p2 = k.newNamespace("p2");
    // VF 0's netdev is up with its own MTU on the node: it must come back that way (issue 17.6).
    k.ip(k.node, "link", "set", "ens1f0v0", "mtu", "1400", "up");
    add("a", p1, "sriov-a");
    add("b", p2, "[{\"name\":\"sriov-a\",\"interface\":\"fast0\",\"mac\":\"02:00:00:00:aa:01\"}]");

    // Each pod got its own VF (from the checkpoint), under the requested name, with an address.
    assertThat(k.links(p1)).contains("eth0", "net1");
    assertThat(k.links(p2)).contains("eth0", "fast0");
    assertThat(k.links(k.node)).doesNotContain("ens1f0v0", "ens1f0v1");
    assertThat(k.ip(p1, "-d", "link", "show", "dev", "net1")).contains("macvlan");
    assertThat(k.ip(p2, "link", "show", "dev", "fast0")).contains("02:00:00:00:aa:01");
    String a = addressOf(p1, "net1");
    String b = addressOf(p2, "fast0");
    assertThat(a).startsWith("198.18.30.");
    assertThat(b).startsWith("198.18.30.").isNotEqualTo(a);
    assertThat(k.ping(p1, b)).isTrue();
    assertThat(k.ping(p2, a)).isTrue();
    assertThat(leases()).isEqualTo(2);

    var status = JSON.readTree(h.published.get("apps/a"));
    assertThat(status.get(1).path("name").asText()).isEqualTo("apps/sriov-a");
    assertThat(status.get(1).path("interface").asText()).isEqualTo("net1");
    assertThat(status.get(1).path("ips").get(0).asText()).isEqualTo(a);

    // VF attributes were sent through the PF for VF 0 (pod a) and VF 1 (pod b, with its MAC).
    Vf vf0 = vfs.calls().get(0).settings();
    assertThat(vfs.calls().get(0).pfName()).isEqualTo("ens1f0");
    assertThat(vf0.vf()).isZero();
    assertThat(vf0.vlan()).isEqualTo(100);
    assertThat(vf0.qos()).isEqualTo(2);
    assertThat(vf0.spoofchk()).isFalse();
    assertThat(vf0.trust()).isTrue();
    assertThat(vf0.linkState()).isEqualTo(1);
    assertThat(vf0.minTxRate()).isEqualTo(100);
    assertThat(vf0.maxTxRate()).isEqualTo(1000);
    assertThat(vf0.mac()).isNull();
    Vf vf1 = vfs.calls().get(1).settings();
    assertThat(vf1.vf()).isEqualTo(1);
    assertThat(vf1.mac()).isEqualTo(HwAddr.parse("02:00:00:00:aa:01"));
    assertThat(vfs.read("ens1f0", 1).vlan()).isEqualTo(100);

    // DEL: the VF comes back under its own name with its settings restored; the lease is freed.
    var del = h.call("DEL", "cid-a", KernelFixture.path(p1).toString(), "apps", "a");
    assertThat(del.exitCode()).as(CniHarness.text(del)).isZero();
    assertThat(k.links(p1)).doesNotContain("net1");
    assertThat(k.links(k.node)).contains("ens1f0v0").doesNotContain("net1");
    assertThat(k.ip(k.node, "link", "show", "dev", "ens1f0v0")).contains("mtu 1400").contains("UP");
    assertThat(vfs.read("ens1f0", 0)).isEqualTo(EmulatedVfControl.factoryDefaults(0));
    assertThat(leases()).isEqualTo(1);
    var delB = h.call("DEL", "cid-b", KernelFixture.path(p2).toString(), "apps", "b");
    assertThat(delB.exitCode()).as(CniHarness.text(delB)).isZero();
    assertThat(k.links(k.node)).contains("ens1f0v0", "ens1f0v1");
    assertThat(k.ip(k.node, "link", "show", "dev", "ens1f0v1")).doesNotContain("02:00:00:00:aa:01");
    assertThat(vfs.read("ens1f0", 1)).isEqualTo(EmulatedVfControl.factoryDefaults(1));
    assertThat(leases()).isZero();
    try (Stream<Path> left = Files.list(tmp.resolve("state").resolve("sriov"))) {
      assertThat(left.toList()).isEmpty();
    }
  }

  @Test
  void podWithoutAllocatedDeviceFailsNamingTheFieldAndChangesNothing() throws Exception {
    String p1 = k.newNamespace("p1");
    h.pod("apps", "c", "uid-c", "sriov-a"); // uid-c has nothing in the checkpoint
    var r = h.call("ADD", "cid-c", KernelFixture.path(p1).toString(), "apps", "c");
    assertThat(r.exitCode()).isNotZero();
    assertThat(CniHarness.text(r)).contains("sriov config deviceID: missing");
    assertThat(k.links(p1)).containsExactly("lo");
    assertThat(k.links(k.node)).contains("ens1f0v0", "ens1f0v1");
    assertThat(vfs.calls()).isEmpty();
    assertThat(leases()).isZero();
  }

  @Test
  void delAfterTheSandboxIsGoneFreesTheLeaseAndRestoresTheSettings() throws Exception {
    String p1 = k.newNamespace("p1");
    add("a", p1, "sriov-a");
    assertThat(leases()).isEqualTo(1);
    // The runtime deleted the netns first. A real VF would fall back into the node namespace;
    // the emulating macvlan is destroyed with the namespace.
    k.delete(p1);
    var del = h.call("DEL", "cid-a", null, "apps", "a");
    assertThat(del.exitCode()).as(CniHarness.text(del)).isZero();
    assertThat(leases()).isZero();
    assertThat(vfs.read("ens1f0", 0)).isEqualTo(EmulatedVfControl.factoryDefaults(0));
    try (Stream<Path> left = Files.list(tmp.resolve("state").resolve("sriov"))) {
      assertThat(left.toList()).isEmpty();
    }
  }

  @Test
  void sriovChainsWithTuningLikeABinaryPlugin() throws Exception {
    h.nads.put(
        new Nad(
            "apps",
            "sriov-t",
            """
            {"cniVersion":"1.0.0","name":"sriov-t","plugins":[
              {"type":"sriov","vlan":7,
               "ipam":{"type":"static","addresses":[{"address":"198.18.31.5/24"}]}},
              {"type":"tuning","mtu":1400,"dataDir":"%s"}]}
            """
                .formatted(tmp.resolve("tuning")),
            Map.of("k8s.v1.cni.cncf.io/resourceName", RESOURCE)));
    String p1 = k.newNamespace("p1");
    add("a", p1, "sriov-t");
    assertThat(k.ip(p1, "link", "show", "dev", "net1")).contains("mtu 1400");
    assertThat(addressOf(p1, "net1")).isEqualTo("198.18.31.5");
    assertThat(vfs.calls().get(0).settings().vlan()).isEqualTo(7);
    var del = h.call("DEL", "cid-a", KernelFixture.path(p1).toString(), "apps", "a");
    assertThat(del.exitCode()).as(CniHarness.text(del)).isZero();
    assertThat(k.links(k.node)).contains("ens1f0v0");
    assertThat(k.links(p1)).containsExactly("lo");
  }
}
