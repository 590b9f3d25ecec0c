package io.multihome.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multihome.agent.netlink.LinkKind.Bridge;
import io.multihome.agent.netlink.LinkKind.Macvlan;
import io.multihome.agent.netlink.LinkKind.MacvlanMode;
import io.multihome.agent.netlink.LinkKind.Veth;
import io.multihome.agent.netlink.LinkKind.Vxlan;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class LinkKernelTest {
  private ThrowawayNetns ns;
  private LinkOps links;

  @BeforeEach
  void setUp() {
    ns = new ThrowawayNetns();
    links = ns.nl.links();
  }

  @AfterEach
  void tearDown() {
    ns.close();
  }

  @Test
  void listsLoopbackInFreshNamespace() {
    List<Link> all = links.list();
    assertThat(all).extracting(Link::name).containsExactly("lo");
    assertThat(all.get(0).index()).isEqualTo(1);
  }

  @Test
  void createsBridgeWithOptionsAndReadsThemBack() {
    var br = new Bridge(1, 1500, 300, 2500, 4096, 30000, null, null, null, false);
    links.add(LinkSpec.of("br0", br).withMtu(1400).withMac(HwAddr.parse("02:00:00:00:00:01")));
    Link l = links.get("br0");
    assertThat(l.kind()).isInstanceOf(Bridge.class);
    var got = (Bridge) l.kind();
    assertThat(got.stpState()).isEqualTo(1);
    assertThat(got.forwardDelay()).isEqualTo(1500);
    assertThat(got.helloTime()).isEqualTo(300);
    assertThat(got.maxAge()).isEqualTo(2500);
    assertThat(got.priority()).isEqualTo(4096);
    assertThat(got.ageingTime()).isEqualTo(30000);
    assertThat(got.multicastSnooping()).isFalse();
    // vlan_filtering/vlan_protocol are only reported by kernels with BRIDGE_VLAN_FILTERING
    assertThat(l.mtu()).isEqualTo(1400);
    assertThat(l.mac()).isEqualTo(HwAddr.parse("02:00:00:00:00:01"));
    links.setBridgeOptions(
        "br0", new Bridge(0, null, null, null, 8192, null, null, null, null, null));
    var after = (Bridge) links.get("br0").kind();
    assertThat(after.stpState()).isZero();
    assertThat(after.priority()).isEqualTo(8192);
  }

  @Test
  void vethPairWithMasterUpMtuMacRenameDelete() {
    links.add(LinkSpec.of("br0", Bridge.defaults()));
    links.add(LinkSpec.of("veth0", Veth.peer("veth1")));
    Link v0 = links.get("veth0");
    Link v1 = links.get("veth1");
    assertThat(v0.kindName()).isEqualTo("veth");
    assertThat(v0.parentIndex()).isEqualTo(v1.index());

    links.setMaster("veth0", "br0");
    links.setMtu("veth0", 1300);
    links.setMac("veth0", HwAddr.parse("02:11:22:33:44:55"));
    links.setUp("veth0");
    Link after = links.get("veth0");
    assertThat(after.masterIndex()).isEqualTo(links.get("br0").index());
    assertThat(after.slaveKind()).isEqualTo("bridge");
    assertThat(after.bridgePort()).isNotNull();
    assertThat(after.mtu()).isEqualTo(1300);
    assertThat(after.mac()).isEqualTo(HwAddr.parse("02:11:22:33:44:55"));
    assertThat(after.isUp()).isTrue();

    links.setBridgePort(
        "veth0", new BridgePortOptions(null, 7, 42, true, null, null, null, false, null));
    var port = links.get("veth0").bridgePort();
    assertThat(port.priority()).isEqualTo(7);
    assertThat(port.cost()).isEqualTo(42);
    assertThat(port.hairpin()).isTrue();
    assertThat(port.learning()).isFalse();

    links.setDown("veth0");
    links.setNoMaster("veth0");
    assertThat(links.get("veth0").masterIndex()).isNull();
    assertThat(links.get("veth0").isUp()).isFalse();

    links.rename("veth0", "net1");
    assertThat(links.find("veth0")).isEmpty();
    assertThat(links.get("net1").index()).isEqualTo(v0.index());
    links.delete("net1");
    assertThat(links.find("veth1")).isEmpty();
  }

  @Test
  void macvlanMacvtapAndVxlan() {
    links.add(LinkSpec.of("br0", Bridge.defaults()));
    int parent = links.get("br0").index();
    links.add(LinkSpec.of("mv0", new Macvlan(MacvlanMode.BRIDGE, false)).withParent(parent));
    links.add(LinkSpec.of("mvt0", new Macvlan(MacvlanMode.VEPA, true)).withParent(parent));
    var local = IpPrefix.parseAddress("198.18.0.1");
    var remote = IpPrefix.parseAddress("198.18.0.2");
    links.add(LinkSpec.of("vx0", new Vxlan(4242, local, remote, 4789, false, parent)));

    Link mv = links.get("mv0");
    assertThat(mv.kind()).isEqualTo(new Macvlan(MacvlanMode.BRIDGE, false));
    assertThat(mv.parentIndex()).isEqualTo(parent);
    assertThat(links.get("mvt0").kind()).isEqualTo(new Macvlan(MacvlanMode.VEPA, true));
    var vx = (Vxlan) links.get("vx0").kind();
    assertThat(vx.vni()).isEqualTo(4242);
    assertThat(vx.local()).isEqualTo(local);
    assertThat(vx.remote()).isEqualTo(remote);
    assertThat(vx.port()).isEqualTo(4789);
    assertThat(vx.learning()).isFalse();
    assertThat(vx.underlayIndex()).isEqualTo(parent);
  }

  @Test
  void moveToAnotherNamespace() {
    try (var other = new ThrowawayNetns();
        var target = NetNs.named(other.name)) {
      links.add(LinkSpec.of("veth0", Veth.peer("veth1")));
      links.moveToNetns("veth1", target);
      assertThat(links.find("veth1")).isEmpty();
      Link moved = other.nl.links().get("veth1");
      assertThat(moved.kindName()).isEqualTo("veth");
      assertThat(links.get("veth0").netnsId()).isNotNull();
    }
  }

  @Test
  void errorsNameOperationInterfaceAndErrno() {
    assertThatThrownBy(() -> links.get("nope0"))
        .isInstanceOf(NetlinkException.class)
        .hasMessage("link get nope0: ENODEV: No such device");
    links.add(LinkSpec.of("br0", Bridge.defaults()));
    assertThatThrownBy(() -> links.add(LinkSpec.of("br0", Bridge.defaults())))
        .isInstanceOf(NetlinkException.class)
        .hasMessageStartingWith("link add br0 (bridge): EEXIST: File exists")
        .satisfies(e -> assertThat(((NetlinkException) e).errnoName()).isEqualTo("EEXIST"));
    // bad attributes: a peer name longer than IFNAMSIZ fails the kernel's policy, an MTU below
    // the minimum is rejected; both come with an extended-ack message
    assertThatThrownBy(() -> links.add(LinkSpec.of("v0", Veth.peer("a-name-far-too-long-0"))))
        .isInstanceOf(NetlinkException.class)
        .hasMessageStartingWith("link add v0 (veth): ")
        .satisfies(e -> assertThat(((NetlinkException) e).extAck()).isNotBlank());
    assertThatThrownBy(
            () ->
                links.add(
                    LinkSpec.of("mv0", new Macvlan(MacvlanMode.BRIDGE, false)).withParent(999)))
        .hasMessageStartingWith("link add mv0 (macvlan): ENODEV: No such device");
    assertThatThrownBy(() -> links.setMtu("br0", 10))
        .isInstanceOf(NetlinkException.class)
        .hasMessageStartingWith("link set mtu br0: EINVAL: Invalid argument")
        .satisfies(e -> assertThat(((NetlinkException) e).extAck()).isNotBlank());
    assertThatThrownBy(() -> links.delete("nope0"))
        .hasMessage("link delete nope0: ENODEV: No such device");
  }

  @Test
  void batchCreatesManyAndReportsEachFailure() {
    var reqs = new java.util.ArrayList<Request>();
    for (int i = 0; i < 150; i++) {
      reqs.add(LinkOps.addRequest(LinkSpec.of("b" + i, Bridge.defaults())));
    }
    reqs.add(LinkOps.addRequest(LinkSpec.of("b7", Bridge.defaults())));
    var failures = ns.nl.executeAll(reqs);
    assertThat(failures).hasSize(1);
    assertThat(failures.get(0)).hasMessageStartingWith("link add b7 (bridge): EEXIST");
    assertThat(links.list()).hasSize(151);
  }
}
