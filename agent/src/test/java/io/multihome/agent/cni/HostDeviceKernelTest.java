package io.multihome.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.agent.cni.device.NodeDeviceKeeper;
import io.multihome.agent.netlink.NetNs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 6 / issue 17 item 6: the reference host-device plugin takes a node NIC that is a
 * bridge port; after DEL, and after an ADD that failed once the NIC had moved, the NIC is back in
 * the node with its name, MTU, up state, bridge and port options — and the bridge carries traffic
 * through it again. The "NIC" is a veth whose peer sits in a "fabric" namespace (198.18.46.1); the
 * node's bridge {@code br-nic} has 198.18.46.254.
 */
class HostDeviceKernelTest {

  private static final String NIC = "nic0";

  @TempDir Path tmp;
  private KernelFixture k;
  private CniHarness h;
  private String fabric;
  private final DeleteFailures failures = new DeleteFailures();

  @BeforeEach
  void setUp() throws Exception {
    k = new KernelFixture("mh-hdev");
    fabric = k.newNamespace("fabric");
    k.ip(k.node, "link", "add", "br-nic", "type", "bridge");
    k.ip(k.node, "link", "set", "br-nic", "up");
    k.ip(k.node, "addr", "add", "198.18.46.254/24", "dev", "br-nic");
    k.ip(k.node, "link", "add", NIC, "mtu", "1400", "type", "veth", "peer", "name", "wire0");
    k.ip(k.node, "link", "set", "wire0", "netns", fabric);
    k.ip(fabric, "link", "set", "wire0", "mtu", "1400", "up");
    k.ip(fabric, "addr", "add", "198.18.46.1/24", "dev", "wire0");
    k.ip(k.node, "link", "set", NIC, "master", "br-nic");
    KernelFixture.run(
        List.of("bridge", "-n", k.node, "link", "set", "dev", NIC, "cost", "42", "hairpin", "on"));
    k.ip(k.node, "link", "set", NIC, "up");
    var keeper =
        new NodeDeviceKeeper(
            () -> NetNs.path(KernelFixture.path(k.node).toString()),
            tmp.resolve("no-sys"),
            pci -> Optional.empty());
    h = CniHarness.referencePlugins(tmp, k, keeper);
    h.service.setEvents(failures);
    assertNicAsConfigured();
  }

  @AfterEach
  void tearDown() {
    if (k != null) {
      k.close();
    }
  }

  /** Name, MTU, up, bridge port of br-nic with its options, and traffic over the bridge. */
  private void assertNicAsConfigured() throws Exception {
    String link = k.ip(k.node, "-d", "link", "show", "dev", NIC);
    assertThat(link).contains("mtu 1400").contains("master br-nic").contains("state UP");
    assertThat(link).contains("cost 42").contains("hairpin on");
    assertThat(k.ping(k.node, "198.18.46.1")).as("node reaches the fabric through br-nic").isTrue();
  }

  private String hostDeviceNad(String ipam) {
    return """
        {"cniVersion":"0.3.1","name":"example","type":"host-device","device":"%s","ipam":%s}
        """
        .formatted(NIC, ipam);
  }

  private static final String STATIC_IPAM =
      "{\"type\":\"static\",\"addresses\":[{\"address\":\"198.18.46.10/24\"}]}";

  @Test
  void delGivesTheNicBackWithNameMtuUpStateBridgeAndPortOptions() throws Exception {
    h.nads.put("example", "example", hostDeviceNad(STATIC_IPAM));
    String pod = k.newNamespace("pod");
    h.pod("example", "p", "uid-p", "example");
    var add = h.call("ADD", "cid-p", KernelFixture.path(pod).toString(), "example", "p");
    assertThat(add.exitCode()).as(CniHarness.text(add)).isZero();
    assertThat(k.links(k.node)).doesNotContain(NIC);
    assertThat(k.ip(pod, "addr", "show", "dev", "net1")).contains("198.18.46.10/24");
    assertThat(k.ping(pod, "198.18.46.1")).as("the pod owns the NIC").isTrue();
    // Recorded before the plugin ran, in the state (an agent restart keeps it).
    var recorded = new StateStore(h.stateDir).read("cid-p").orElseThrow().nodeDevices().get(1);
    assertThat(recorded.name()).isEqualTo(NIC);
    assertThat(recorded.master()).isEqualTo("br-nic");
    assertThat(recorded.mtu()).isEqualTo(1400);
    assertThat(recorded.up()).isTrue();

    var del = h.call("DEL", "cid-p", KernelFixture.path(pod).toString(), "example", "p");
    assertThat(del.exitCode()).as(CniHarness.text(del)).isZero();
    assertThat(k.links(pod)).doesNotContain("net1");
    assertNicAsConfigured();
    assertThat(failures.reported).isEmpty();
  }

  @Test
  void anAddFailingInALaterDelegateGivesTheNicBack() throws Exception {
    h.nads.put("example", "example", hostDeviceNad(STATIC_IPAM));
    // host-local refuses an address outside its range: the second attachment fails.
    h.nads.put(
        "example",
        "blue",
        """
        {"cniVersion":"1.0.0","plugins":[{"type":"bridge","bridge":"mhblue",
          "ipam":{"type":"host-local","dataDir":"%s","ranges":[[{"subnet":"198.18.47.0/24"}]]}}]}
        """
            .formatted(tmp.resolve("ipam-blue")));
    String pod = k.newNamespace("pod");
    h.pod(
        "example",
        "p",
        "uid-p",
        "[{\"name\":\"example\"},{\"name\":\"blue\",\"ips\":[\"198.18.99.9/24\"]}]");
    var add = h.call("ADD", "cid-p", KernelFixture.path(pod).toString(), "example", "p");
    assertThat(add.exitCode()).isEqualTo(1);
    assertThat(CniHarness.text(add)).contains("\\\"example/blue\\\" (net2)");
    assertThat(k.links(pod)).containsExactly("lo");
    assertNicAsConfigured();
  }

  @Test
  void anAddWhoseIpamRefusesTheAddressAfterTheMoveGivesTheNicBack() throws Exception {
    // static refuses the address after host-device moved the NIC in (and left it there): the
    // rollback's DEL moves it out, down and outside br-nic; the daemon restores the rest.
    h.nads.put(
        "example",
        "example",
        hostDeviceNad("{\"type\":\"static\",\"addresses\":[{\"address\":\"198.18.46.300/24\"}]}"));
    String pod = k.newNamespace("pod");
    h.pod("example", "p", "uid-p", "example");
    var add = h.call("ADD", "cid-p", KernelFixture.path(pod).toString(), "example", "p");
    assertThat(add.exitCode()).isEqualTo(1);
    assertThat(k.links(pod)).containsExactly("lo");
    assertNicAsConfigured();
    assertThat(Files.list(h.stateDir).toList()).isEmpty();
  }

  @Test
  void whenThePluginsOwnDelFailsTheDaemonMovesTheNicOutOfThePod() throws Exception {
    // An IPAM type that does not exist: host-device moves the NIC in, fails in IPAM ADD, and its
    // DEL fails in IPAM DEL before moving the NIC out. The daemon moves it out and restores it.
    h.nads.put("example", "example", hostDeviceNad("{\"type\":\"no-such-ipam\"}"));
    String pod = k.newNamespace("pod");
    h.pod("example", "p", "uid-p", "example");
    var add = h.call("ADD", "cid-p", KernelFixture.path(pod).toString(), "example", "p");
    assertThat(add.exitCode()).isEqualTo(1);
    assertThat(CniHarness.text(add)).contains("no-such-ipam");
    assertThat(k.links(pod)).containsExactly("lo");
    assertNicAsConfigured();
    assertThat(failures.reported)
        .as("the plugin's failed DEL is reported")
        .singleElement()
        .asString()
        .startsWith("p net1 example/example: ")
        .contains("no-such-ipam");
    assertThat(Files.list(h.stateDir).toList()).isEmpty();
    // The runtime's DEL afterwards: nothing left to do.
    var del = h.call("DEL", "cid-p", KernelFixture.path(pod).toString(), "example", "p");
    assertThat(del.exitCode()).as(CniHarness.text(del)).isZero();
    assertNicAsConfigured();
  }

  @Test
  void aNicThatWasDownAndOutsideAnyBridgeStaysThatWay() throws Exception {
    k.ip(k.node, "link", "set", NIC, "nomaster");
    k.ip(k.node, "link", "set", NIC, "down");
    h.nads.put("example", "example", hostDeviceNad(STATIC_IPAM));
    String pod = k.newNamespace("pod");
    h.pod("example", "p", "uid-p", "example");
    var add = h.call("ADD", "cid-p", KernelFixture.path(pod).toString(), "example", "p");
    assertThat(add.exitCode()).as(CniHarness.text(add)).isZero();
    assertThat(
            h.call("DEL", "cid-p", KernelFixture.path(pod).toString(), "example", "p").exitCode())
        .isZero();
    String link = k.ip(k.node, "link", "show", "dev", NIC);
    assertThat(link).contains("mtu 1400").doesNotContain("master").contains("state DOWN");
  }
}
