package io.multihome.agent.sriov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.multihome.agent.netlink.Link;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.netlink.LinkSpec;
import io.multihome.agent.netlink.NamedNetns;
import io.multihome.agent.netlink.NetlinkException;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.api.sriov.InterfaceExt;
import io.multihome.api.sriov.SyncStatus;
import io.multihome.api.sriov.VirtualFunction;
import io.multihome.sriov.sysfs.fake.FakeNic;
import io.multihome.testkit.KernelTier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent on the emulated NIC: the PF is a real veth end in a throwaway node namespace {@code
 * mh-sra-*} (deleted after each test), VFs become real macvlans there. No addresses, no traffic.
 */
@EnableKubernetesMockClient(crud = true)
class SriovAgentKernelTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String NODE = "worker-k";
  private static final String PCI = "0000:3b:00.0";
  private static final String PF = "ens1f0";
  private static final String ALTNAME = "enp59s0f0np0";

  KubernetesClient client;

  @TempDir Path dir;
  private String netns;
  private RtNetlink nl;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue("0".equals(run("id", "-u").strip()), "kernel tests need root (netns creation)");
    netns = "mh-sra-" + UUID.randomUUID().toString().substring(0, 8);
    NamedNetns.create(netns);
    nl = RtNetlink.openNamed(netns);
    nl.links().add(LinkSpec.of(PF, LinkKind.Veth.peer("sw1f0")).withUp(true));
    nl.links().setUp("sw1f0");
  }

  @AfterEach
  void tearDown() {
    try {
      if (nl != null) {
        nl.close();
      }
    } finally {
      if (netns != null && NamedNetns.exists(netns)) {
        NamedNetns.delete(netns);
      }
    }
  }

  private List<Link> macvlansOnPf() {
    int pfIndex = nl.links().get(PF).index();
    return nl.links().list().stream()
        .filter(l -> l.kind() instanceof LinkKind.Macvlan)
        .filter(l -> l.parentIndex() != null && l.parentIndex() == pfIndex)
        .toList();
  }

  @Test
  void numVfs4YieldsFourRealMacvlanVfsAndASucceededStatusAndNumVfs0RemovesThem() throws Exception {
    String alt = run("ip", "-n", netns, "link", "property", "add", "dev", PF, "altname", ALTNAME);
    KernelTier.require(alt.isEmpty(), "interface altnames (ip link property add): " + alt);
    var fixture = new SriovAgentFixture(client);
    fixture.createState(NODE, SriovAgentFixture.spec(PCI, PF, 4, null));

    try (var nic =
            EmulatedSriovNic.create(dir.resolve("sys"), netns, FakeNic.intelXxv710(PCI, PF));
        var agent =
            SriovAgent.start(
                client,
                NODE,
                SriovAgentConfig.defaults()
                    .withEmulatedNic(nic)
                    .withPfStoreDir(dir.resolve("store"))
                    .withResyncInterval(Duration.ofMillis(300))
                    .withTimeouts(SriovAgentFixture.FAST))) {
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                var s = fixture.status(NODE);
                assertThat(s).isNotNull();
                assertThat(s.getSyncStatus()).isEqualTo(SyncStatus.SUCCEEDED);
              });
      var status = fixture.status(NODE);
      assertThat(status.getLastSyncError()).isEmpty();
      InterfaceExt pf = status.getInterfaces().get(0);
      assertThat(pf.getName()).isEqualTo(PF);
      assertThat(pf.getNumVfs()).isEqualTo(4);
      // altnames come from the real kernel through netlink, not from the fake sysfs
      assertThat(pf.getAltNames()).containsExactly(ALTNAME);
      assertThat(pf.getMac()).isEqualTo(nl.links().get(PF).mac().toString());
      List<String> vfNames = pf.getVfs().stream().map(VirtualFunction::getName).toList();
      assertThat(vfNames).containsExactly("ens1f0v0", "ens1f0v1", "ens1f0v2", "ens1f0v3");

      Map<String, String> realMacs =
          macvlansOnPf().stream().collect(Collectors.toMap(Link::name, l -> l.mac().toString()));
      assertThat(realMacs).containsOnlyKeys(vfNames);
      for (VirtualFunction vf : pf.getVfs()) {
        assertThat(realMacs.get(vf.getName())).as(vf.getName()).isEqualTo(vf.getMac());
      }
      assertThat(nic.adminMacCalls())
          .extracting(EmulatedSriovNic.AdminMacCall::appliedTo)
          .containsExactlyElementsOf(vfNames);
      assertThat(nl.links().get(PF).isUp()).isTrue();

      fixture.setSpec(NODE, SriovAgentFixture.spec(PCI, PF, 0, null));
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                var s = fixture.status(NODE);
                assertThat(s.getSyncStatus()).isEqualTo(SyncStatus.SUCCEEDED);
                assertThat(s.getInterfaces().get(0).getNumVfs()).isZero();
              });
      assertThat(macvlansOnPf()).isEmpty();
      assertThat(fixture.status(NODE).getInterfaces().get(0).getVfs()).isEmpty();
    }
    assertThat(macvlansOnPf()).isEmpty();
  }

  @Test
  void vfioPciTakesTheMacvlanAwayAndTheKernelDriverBringsItBack() throws Exception {
    try (var nic =
        EmulatedSriovNic.create(dir.resolve("sys"), netns, FakeNic.intelXxv710(PCI, PF))) {
      var sysfs = nic.sysfs();
      sysfs.write(sysfs.resolve("bus/pci/devices/" + PCI + "/sriov_numvfs"), "2");
      assertThat(macvlansOnPf())
          .extracting(Link::name)
          .containsExactlyInAnyOrder("ens1f0v0", "ens1f0v1");
      String vf1 = FakeNic.intelXxv710(PCI, PF).vfAddress(1);
      try (var ops = new io.multihome.sriov.sysfs.SriovSysfsOps(sysfs, SriovAgentFixture.FAST)) {
        ops.bindDriver(vf1, "vfio-pci");
        assertThat(macvlansOnPf()).extracting(Link::name).containsExactly("ens1f0v0");
        ops.bindDefaultDriver(vf1);
        assertThat(macvlansOnPf())
            .extracting(Link::name)
            .containsExactlyInAnyOrder("ens1f0v0", "ens1f0v1");
        ops.setMtu("ens1f0v0", 1400);
        assertThat(nl.links().get("ens1f0v0").mtu()).isEqualTo(1400);
      }
    }
    assertThat(macvlansOnPf()).isEmpty();
  }

  @Test
  void netlinkVfConfiguratorSetsLinksUpAndReportsAPfWithoutVfsClearly() {
    nl.links().setDown(PF);
    try (var links = NetlinkVfConfigurator.open(netns)) {
      links.setLinkUp(PF);
      assertThat(nl.links().get(PF).isUp()).isTrue();
      // A veth has no VF table: the kernel's refusal names the operation and the PF.
      assertThatThrownBy(() -> links.setVfAdminMac(PF, 0, "02:00:00:00:00:01"))
          .isInstanceOf(NetlinkException.class)
          .hasMessageContaining("link set vf 0")
          .hasMessageContaining(PF);
    }
  }

  @Test
  void netlinkLinkInfoReadsRealAltnames() throws Exception {
    String alt = run("ip", "-n", netns, "link", "property", "add", "dev", PF, "altname", ALTNAME);
    KernelTier.require(alt.isEmpty(), "interface altnames (ip link property add): " + alt);
    try (var info = NetlinkLinkInfo.open(netns)) {
      var links = info.snapshot();
      assertThat(links.get(PF).altNames()).containsExactly(ALTNAME);
      assertThat(links.get("sw1f0").altNames()).isEmpty();
      assertThat(links.get(PF).vfs()).isEmpty();
    }
  }

  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + " timed out");
    }
    return out;
  }
}
