package io.multihome.agent.engine;

import static io.multihome.agent.engine.EngineAssertions.assertRefused;
import static io.multihome.agent.engine.EngineAssertions.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.agent.netlink.HwAddr;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.netlink.Rtnl;
import io.multihome.agent.netlink.Vf;
import io.multihome.state.EthernetConfig;
import io.multihome.state.StateWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ethernet.sr-iov} planning and {@code show} on made-up PFs (no kernel, no sysfs). */
class SriovPlannerTest {
  private static final String EXAMPLE =
      """
      interfaces:
        - name: eth1
          type: ethernet
          state: up
          ethernet:
            sr-iov:
              total-vfs: 4
              vfs:
                - id: 0
                  mac-address: 02:00:5e:10:00:01
                  spoof-check: true
                  vlan-id: 110
                  qos: 0
                - id: 1
                  trust: true
                  max-tx-rate: 1000
      """;

  private static Vf vf(int id, String mac, int vlan, int qos, boolean spoof, boolean trust) {
    return new Vf(id, HwAddr.parse(mac), vlan, qos, null, spoof, trust, 0, 0, 0);
  }

  private static Snapshot pf(Integer numVfs, List<Vf> vfs) {
    var link =
        TestLinks.link(
            2,
            "eth1",
            new LinkKind.Other(""),
            Rtnl.IFF_UP,
            "02:00:00:00:00:02",
            null,
            null,
            null,
            null,
            numVfs,
            vfs);
    return new Snapshot(List.of(TestLinks.node(link, true, null)), List.of(), List.of(), List.of());
  }

  @Test
  void newVfsGetEveryListedSettingAfterTheCountIsWritten() throws Exception {
    var plan = Planner.plan(state(EXAMPLE), pf(0, List.of()));

    assertThat(plan.describe())
        .containsExactly(
            "echo 4 > /sys/class/net/eth1/device/sriov_numvfs",
            "ip link set eth1 vf 0 mac 02:00:5e:10:00:01",
            "ip link set eth1 vf 0 vlan 110 qos 0",
            "ip link set eth1 vf 0 spoofchk on",
            "ip link set eth1 vf 1 trust on",
            "ip link set eth1 vf 1 min_tx_rate 0 max_tx_rate 1000");
    assertThat(plan.ops().get(0).diff().toString())
        .isEqualTo("interfaces[eth1].ethernet.sr-iov.total-vfs: desired 4, current 0");
    assertThat(plan.ops().get(2).diff().toString())
        .isEqualTo(
            "interfaces[eth1].ethernet.sr-iov.vfs[0].vlan-id: desired 110, current none (new VF)");
    assertThat(plan.touched()).containsExactly("eth1");
  }

  @Test
  void onlyWhatDiffersIsChangedAndEachDiffNamesItsSetting() throws Exception {
    var now =
        pf(
            4,
            List.of(
                vf(0, "02:00:5e:10:00:01", 0, 0, true, false),
                vf(1, "00:00:00:00:00:00", 0, 0, true, true),
                vf(2, "00:00:00:00:00:00", 0, 0, true, false),
                vf(3, "00:00:00:00:00:00", 0, 0, true, false)));

    var plan = Planner.plan(state(EXAMPLE), now);

    assertThat(plan.describe())
        .containsExactly(
            "ip link set eth1 vf 0 vlan 110 qos 0",
            "ip link set eth1 vf 1 min_tx_rate 0 max_tx_rate 1000");
    assertThat(plan.ops())
        .extracting(o -> o.diff().toString())
        .containsExactly(
            "interfaces[eth1].ethernet.sr-iov.vfs[0].vlan-id: desired 110, current 0",
            "interfaces[eth1].ethernet.sr-iov.vfs[1].max-tx-rate: desired 1000, current 0");
  }

  @Test
  void aDifferentCountGoesThroughSysfsAndResendsTheSettings() throws Exception {
    var now = pf(2, List.of(vf(0, "02:00:5e:10:00:01", 110, 0, true, false)));

    var plan = Planner.plan(state(EXAMPLE), now);

    assertThat(plan.ops().get(0)).isInstanceOf(SriovOps.SetNumVfs.class);
    assertThat(((SriovOps.SetNumVfs) plan.ops().get(0)).numVfs()).isEqualTo(4);
    assertThat(plan.describe()).contains("ip link set eth1 vf 0 vlan 110 qos 0");
  }

  @Test
  void qosAloneKeepsTheVlanAnd8021adIsSentWithItsProtocol() throws Exception {
    var now = pf(2, List.of(vf(0, "00:00:00:00:00:00", 20, 0, true, false)));
    var desired =
        state(
            """
            interfaces:
              - name: eth1
                type: ethernet
                ethernet:
                  sr-iov:
                    vfs:
                      - id: 0
                        qos: 5
                      - id: 1
                        vlan-id: 30
                        vlan-proto: 802.1ad
            """);

    var plan = Planner.plan(desired, now);

    assertThat(plan.describe())
        .containsExactly(
            "ip link set eth1 vf 0 vlan 20 qos 5",
            "ip link set eth1 vf 1 vlan 30 qos 0 proto 802.1ad");
    assertThat(plan.ops().get(0).diff().path())
        .isEqualTo("interfaces[eth1].ethernet.sr-iov.vfs[0].qos");
  }

  @Test
  void refusesALinkWithoutVfTableAVfBeyondTheCountAndDriversAutoprobe() throws Exception {
    assertRefused(() -> Planner.plan(state(EXAMPLE), pf(null, List.of())))
        .containsExactly(
            "interfaces[0].ethernet.sr-iov: eth1 is not an SR-IOV physical function"
                + " (the kernel reports no VF table for it)");
    var desired =
        state(
            """
            interfaces:
              - name: eth1
                ethernet:
                  sr-iov:
                    drivers-autoprobe: false
                    vfs:
                      - id: 2
                        trust: true
            """);
    assertRefused(() -> Planner.plan(desired, pf(2, List.of())))
        .containsExactlyInAnyOrder(
            "interfaces[0].ethernet.sr-iov.drivers-autoprobe: eth1 has no"
                + " sriov_drivers_autoprobe in sysfs (not a PCI SR-IOV physical function)",
            "interfaces[0].ethernet.sr-iov.vfs[0].id: VF 2 does not exist: eth1 has 2 VFs");
  }

  @Test
  void driversAutoprobeIsWrittenBeforeTheVfCountAndOnlyWhenItDiffers() throws Exception {
    var desired =
        state(
            """
            interfaces:
              - name: eth1
                ethernet:
                  sr-iov:
                    drivers-autoprobe: false
                    total-vfs: 2
            """);
    var now = pf(0, List.of());
    var on =
        now.withExtras(
            new NodeExtras(
                Map.of(), Map.of("eth1", true), KeptSettings.EMPTY, null, Map.of(), null));
    var plan = Planner.plan(desired, on);
    assertThat(plan.describe())
        .containsExactly(
            "echo 0 > /sys/class/net/eth1/device/sriov_drivers_autoprobe",
            "echo 2 > /sys/class/net/eth1/device/sriov_numvfs");
    assertThat(plan.ops().get(0).diff().toString())
        .isEqualTo(
            "interfaces[eth1].ethernet.sr-iov.drivers-autoprobe: desired false, current true");
    var off =
        now.withExtras(
            new NodeExtras(
                Map.of(), Map.of("eth1", false), KeptSettings.EMPTY, null, Map.of(), null));
    assertThat(Planner.plan(desired, off).describe())
        .containsExactly("echo 2 > /sys/class/net/eth1/device/sriov_numvfs");
  }

  @Test
  void showPrintsTheVfTableAndApplyingItBackIsAnEmptyPlan() throws Exception {
    var now =
        pf(
            2,
            List.of(
                vf(0, "02:00:5e:10:00:01", 110, 3, true, false),
                new Vf(
                    1, HwAddr.parse("00:00:00:00:00:00"), 7, 0, 0x88a8, false, true, 2, 10, 50)));

    var shown = StateReader.read(now, null, n -> true);
    var eth = ((io.multihome.state.Interface.Ethernet) shown.interfaces().get(0)).ethernet();

    EthernetConfig.SrIov s = eth.srIov();
    assertThat(s.totalVfs()).isEqualTo(2);
    assertThat(s.vfs().get(0))
        .isEqualTo(
            new EthernetConfig.Vf(
                0,
                "02:00:5E:10:00:01",
                true,
                false,
                0,
                0,
                110,
                3,
                null,
                io.multihome.state.Extras.NONE));
    assertThat(s.vfs().get(1).vlanProto()).isEqualTo("802.1ad");
    var yaml = StateWriter.toYaml(shown);
    assertThat(yaml).contains("total-vfs: 2", "vlan-proto: 802.1ad");
    assertThat(Planner.plan(state(yaml), now).isEmpty()).isTrue();
    // A NIC with no VFs (or no SR-IOV) shows no ethernet section at all.
    var plain = StateReader.read(pf(0, List.of()), null, n -> true);
    assertThat(((io.multihome.state.Interface.Ethernet) plain.interfaces().get(0)).ethernet())
        .isNull();
  }

  @Test
  void setVfRequestsCarryTheVfInfoListBytes() {
    var op =
        new SriovOps.SetVf("eth1", Vf.of(1).withVlan(110, 3, null), new Op.Diff("p", "110", "0"));

    var bytes = op.request(n -> 2).encode(7);

    // RTM_NEWLINK on IFLA_IFNAME "eth1" + IFLA_VFINFO_LIST { IFLA_VF_INFO { IFLA_VF_VLAN
    // {vf 1, vlan 110, qos 3} } }: the same bytes as `ip link set eth1 vf 1 vlan 110 qos 3`.
    var tail = java.nio.ByteBuffer.allocate(24).order(java.nio.ByteOrder.nativeOrder());
    tail.putShort((short) 24).putShort((short) Rtnl.Ifla.VFINFO_LIST);
    tail.putShort((short) 20).putShort((short) 1); // IFLA_VF_INFO
    tail.putShort((short) 16).putShort((short) 2); // IFLA_VF_VLAN
    tail.putInt(1).putInt(110).putInt(3);
    assertThat(java.util.Arrays.copyOfRange(bytes, bytes.length - 24, bytes.length))
        .isEqualTo(tail.array());
    assertThat(op.stage()).isGreaterThan(new SriovOps.SetNumVfs("eth1", 2, null).stage());
  }
}
