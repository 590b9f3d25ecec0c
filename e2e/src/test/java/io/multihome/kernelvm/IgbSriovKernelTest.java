package io.multihome.kernelvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.multihome.agent.cni.exec.CniCommand;
import io.multihome.agent.cni.exec.CniInvocation;
import io.multihome.agent.cni.exec.ProcessPluginExecutor;
import io.multihome.agent.cni.sriov.NetlinkVfControl;
import io.multihome.agent.cni.sriov.SriovPlugin;
import io.multihome.agent.cni.sriov.SriovStateStore;
import io.multihome.agent.cni.sriov.VfLocator;
import io.multihome.agent.netlink.NetNs;
import io.multihome.sriov.sysfs.Sysfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Real PCI SR-IOV on QEMU's emulated igb NIC: sysfs discovery, {@code sriov_numvfs}, VF functions
 * bound to igbvf, VF attributes set through the PF, and a VF netdev moved into a namespace and back
 * (what the sriov attachment does for a pod). Runs only in the kernel VM started with --igb.
 */
@Tag("kernel-vm")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// One igb NIC for the whole VM: IgbEngineKernelTest moves it into a namespace meanwhile.
@org.junit.jupiter.api.parallel.ResourceLock("emulated-igb")
class IgbSriovKernelTest {

  private static final int VFS = 2;
  private static final Duration VF_PROBE = Duration.ofSeconds(60);

  private Path pf;
  private List<Path> vfs;
  private TestNetns netns;

  @BeforeAll
  void enableVfs() {
    // Not require() here: an aborted @BeforeAll hides the tests from the reports; each test
    // reports the skip (or, in the VM with --igb, the failure) itself in @BeforeEach.
    if (!KernelFeature.EMULATED_SRIOV_NIC.present()) {
      return;
    }
    pf = EmulatedIgb.find().orElseThrow();
    assertThat(Integer.parseInt(EmulatedIgb.read(pf.resolve("sriov_totalvfs"))))
        .isGreaterThanOrEqualTo(VFS);
    write(pf.resolve("sriov_numvfs"), "0");
    write(pf.resolve("sriov_numvfs"), String.valueOf(VFS));
    vfs = Stream.iterate(0, i -> i + 1).limit(VFS).map(i -> resolveVirtfn(pf, i)).toList();
  }

  @AfterAll
  void disableVfs() {
    if (pf != null) {
      write(pf.resolve("sriov_numvfs"), "0");
      assertThat(pf.resolve("virtfn0")).doesNotExist();
    }
  }

  @BeforeEach
  void createNamespace() {
    KernelFeature.require(KernelFeature.EMULATED_SRIOV_NIC);
    netns = TestNetns.create();
  }

  @AfterEach
  void deleteNamespace() {
    if (netns != null) {
      netns.close();
    }
  }

  @Test
  void vfsAreIgbvfPciFunctionsWithNetdevs() {
    assertThat(EmulatedIgb.read(pf.resolve("sriov_numvfs"))).isEqualTo(String.valueOf(VFS));
    for (var vf : vfs) {
      assertThat(EmulatedIgb.read(vf.resolve("vendor"))).isEqualTo(EmulatedIgb.VENDOR);
      assertThat(EmulatedIgb.read(vf.resolve("device"))).isEqualTo(EmulatedIgb.VF_DEVICE);
      assertThat(realPath(vf.resolve("physfn"))).isEqualTo(realPath(pf));
      await().atMost(VF_PROBE).untilAsserted(() -> assertThat(driverOf(vf)).isEqualTo("igbvf"));
      await().atMost(VF_PROBE).untilAsserted(() -> assertThat(netdevOf(vf)).isNotEmpty());
    }
  }

  @Test
  void setsVfAttributesThroughThePf() {
    var pfName = netdevOf(pf);
    // The PF goes into the test namespace so every ip command works there; deleting the
    // namespace hands a physical netdev back to the root namespace.
    Commands.run("ip", "link", "set", pfName, "netns", netns.name()).orFail();
    // Back explicitly: a deleted namespace returns its devices only later, from a workqueue.
    netns.onClose(() -> netns.ip("link", "set", pfName, "netns", "1"));

    netns.ip(
        "link",
        "set",
        pfName,
        "vf",
        "0",
        "mac",
        "02:00:5e:10:00:0a",
        "vlan",
        "10",
        "qos",
        "3",
        "spoofchk",
        "off");
    netns.ip("link", "set", pfName, "vf", "0", "trust", "on");
    netns.ip("link", "set", pfName, "vf", "1", "vlan", "20");

    var vfInfo = netns.link(pfName).path("vfinfo_list");
    assertThat(vfInfo).hasSize(VFS);
    assertThat(vfInfo.get(0).path("address").asText()).isEqualTo("02:00:5e:10:00:0a");
    assertThat(vfInfo.get(0).at("/vlan_list/0/vlan").asInt()).isEqualTo(10);
    assertThat(vfInfo.get(0).at("/vlan_list/0/qos").asInt()).isEqualTo(3);
    assertThat(vfInfo.get(0).path("spoofchk").asBoolean()).isFalse();
    assertThat(vfInfo.get(0).path("trust").asBoolean()).isTrue();
    assertThat(vfInfo.get(1).at("/vlan_list/0/vlan").asInt()).isEqualTo(20);
  }

  @Test
  void movesAVfNetdevIntoANamespaceAndBack() {
    var vf = vfs.get(1);
    var address = vf.getFileName().toString();
    var original = await().atMost(VF_PROBE).until(() -> netdevOf(vf), name -> !name.isEmpty());

    Commands.run("ip", "link", "set", original, "netns", netns.name()).orFail();
    netns.ip("link", "set", original, "name", "net1");

    assertThat(netdevOf(vf)).as("gone from the root namespace").isEmpty();
    var inPod = netns.link("net1");
    assertThat(inPod.path("parentbus").asText()).isEqualTo("pci");
    assertThat(inPod.path("parentdev").asText()).isEqualTo(address);

    netns.ip("link", "set", "net1", "name", original);
    netns.ip("link", "set", original, "netns", "1");
    assertThat(netns.hasLink(original)).isFalse();
    assertThat(netdevOf(vf)).isEqualTo(original);
  }

  @Test
  void unbindsAndRebindsTheVfDriver() {
    var vf = vfs.get(0);
    var address = vf.getFileName().toString();
    await().atMost(VF_PROBE).untilAsserted(() -> assertThat(driverOf(vf)).isEqualTo("igbvf"));

    write(Path.of("/sys/bus/pci/drivers/igbvf/unbind"), address);
    assertThat(driverOf(vf)).isEmpty();
    assertThat(netdevOf(vf)).isEmpty();

    write(Path.of("/sys/bus/pci/drivers/igbvf/bind"), address);
    assertThat(driverOf(vf)).isEqualTo("igbvf");
    await().atMost(VF_PROBE).untilAsserted(() -> assertThat(netdevOf(vf)).isNotEmpty());
  }

  /**
   * The agent's in-process sriov CNI plugin on a real VF: ADD records the VF's settings, sets
   * VLAN+QoS, MAC, spoofchk and trust through the PF, moves the igbvf netdev into a pod namespace
   * as net1 and gives it the static IPAM address (the real /usr/lib/cni/static); DEL moves it back
   * under its own name and restores every VF setting.
   */
  @Test
  void sriovPluginAttachesARealVfToAPodAndGivesItBack() throws Exception {
    var vf = vfs.get(0);
    var address = vf.getFileName().toString();
    var pfName = netdevOf(pf);
    await().atMost(VF_PROBE).untilAsserted(() -> assertThat(driverOf(vf)).isEqualTo("igbvf"));
    var original = await().atMost(VF_PROBE).until(() -> netdevOf(vf), name -> !name.isEmpty());
    var settingsBefore = vfInfo(pfName, 0);
    var pod = TestNetns.create("mh-sv-");
    netns.onClose(pod::close);
    var stateDir = Files.createTempDirectory("mh-sv-cni");
    var plugin =
        new SriovPlugin(
            new VfLocator(Sysfs.real(Path.of("/sys"))),
            new NetlinkVfControl(NetNs::current),
            new ProcessPluginExecutor(null, Duration.ofSeconds(30)),
            new SriovStateStore(stateDir),
            NetNs::current);
    var config =
        ("{\"cniVersion\":\"1.0.0\",\"name\":\"sriov-net\",\"type\":\"sriov\","
                + "\"deviceID\":\"%s\",\"vlan\":100,\"vlanQoS\":2,\"spoofchk\":\"off\","
                + "\"trust\":\"on\",\"mac\":\"02:00:5e:10:00:aa\",\"ipam\":{\"type\":\"static\","
                + "\"addresses\":[{\"address\":\"198.18.0.10/24\"}]}}")
            .formatted(address)
            .getBytes(StandardCharsets.UTF_8);
    var add =
        new CniInvocation(
            CniCommand.ADD,
            "mh-sv-igb",
            "/var/run/netns/" + pod.name(),
            "net1",
            null,
            List.of(Path.of("/usr/lib/cni")));

    var result = new ObjectMapper().readTree(plugin.invoke(add, config));

    assertThat(result.at("/interfaces/0/name").asText()).isEqualTo("net1");
    assertThat(result.at("/ips/0/address").asText()).isEqualTo("198.18.0.10/24");
    assertThat(netdevOf(vf)).as("gone from the root namespace").isEmpty();
    var inPod = pod.link("net1");
    assertThat(inPod.path("parentdev").asText()).isEqualTo(address);
    assertThat(inPod.path("address").asText()).isEqualTo("02:00:5e:10:00:aa");
    assertThat(pod.ipJson("addr", "show", "dev", "net1").at("/0/addr_info"))
        .anySatisfy(a -> assertThat(a.path("local").asText()).isEqualTo("198.18.0.10"));
    var set = vfInfo(pfName, 0);
    assertThat(set.path("address").asText()).isEqualTo("02:00:5e:10:00:aa");
    assertThat(set.at("/vlan_list/0/vlan").asInt()).isEqualTo(100);
    assertThat(set.at("/vlan_list/0/qos").asInt()).isEqualTo(2);
    assertThat(set.path("spoofchk").asBoolean()).isFalse();
    assertThat(set.path("trust").asBoolean()).isTrue();

    plugin.invoke(add.withCommand(CniCommand.DEL), config);

    assertThat(pod.hasLink("net1")).isFalse();
    assertThat(netdevOf(vf)).isEqualTo(original);
    assertThat(vfInfo(pfName, 0)).isEqualTo(settingsBefore);
    try (var files = Files.list(stateDir.resolve("sriov"))) {
      assertThat(files.toList()).as("state dropped after DEL").isEmpty();
    }
    Files.delete(stateDir.resolve("sriov"));
    Files.delete(stateDir);
  }

  /** One VF's entry of the PF's vfinfo_list, from ip in the root namespace. */
  private static JsonNode vfInfo(String pfName, int index) throws Exception {
    var out = Commands.run("ip", "-j", "-d", "link", "show", "dev", pfName).orFail().stdout();
    for (var v : new ObjectMapper().readTree(out).get(0).path("vfinfo_list")) {
      if (v.path("vf").asInt() == index) {
        return v;
      }
    }
    throw new AssertionError("no vf " + index + " on " + pfName + ": " + out);
  }

  private static Path resolveVirtfn(Path pf, int index) {
    var link = pf.resolve("virtfn" + index);
    await().atMost(VF_PROBE).until(() -> Files.exists(link));
    return pf.getParent().resolve(realPath(link).getFileName());
  }

  private static String driverOf(Path device) {
    var driver = device.resolve("driver");
    return Files.exists(driver) ? realPath(driver).getFileName().toString() : "";
  }

  /** The device's netdev as seen from the root namespace, or "" when it has none there. */
  private static String netdevOf(Path device) {
    var net = device.resolve("net");
    if (!Files.isDirectory(net)) {
      return "";
    }
    try (var names = Files.list(net)) {
      return names.map(p -> p.getFileName().toString()).findFirst().orElse("");
    } catch (IOException e) {
      return "";
    }
  }

  private static Path realPath(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      throw new AssertionError("cannot resolve " + path, e);
    }
  }

  private static void write(Path file, String value) {
    try {
      Files.writeString(file, value);
    } catch (IOException e) {
      throw new AssertionError("cannot write " + value + " to " + file, e);
    }
  }
}
