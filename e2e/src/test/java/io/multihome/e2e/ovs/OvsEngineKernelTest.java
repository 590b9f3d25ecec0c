package io.multihome.e2e.ovs;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.agent.engine.ApplyOptions;
import io.multihome.agent.engine.ApplyResult;
import io.multihome.agent.engine.Engine;
import io.multihome.agent.engine.PlanException;
import io.multihome.agent.engine.Target;
import io.multihome.kernelvm.KernelFeature;
import io.multihome.lab.LabOvs;
import io.multihome.state.Interface;
import io.multihome.state.StateParser;
import io.multihome.state.StateWriter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The engine with a real Open vSwitch: ovsdb-server and ovs-vswitchd (userspace datapath: this
 * kernel has no openvswitch module) in a throwaway namespace. Bridges, internal ports with IP,
 * options, show → apply is a no-op, re-apply is an empty plan, removal.
 */
@Tag("kernel-vm")
class OvsEngineKernelTest extends OvsEngineTestBase {
  @Override
  int nics() {
    return 2;
  }

  static final String CREATE =
      """
      interfaces:
      - name: eth1
        type: veth
        state: up
      - name: ovs0
        type: ovs-interface
        state: up
        ipv4:
          enabled: true
          address:
          - ip: 198.18.7.1
            prefix-length: 24
      - name: ovs-br0
        type: ovs-bridge
        state: up
        description: built by a test
        bridge:
          options:
            fail-mode: ''
            mcast-snooping-enable: false
            rstp: false
            stp:
              enabled: true
            datapath: %s
          port:
          - name: eth1
          - name: ovs0
      """
          .formatted(DP);

  @Test
  void createsTheBridgeAndItsInternalPortWithIpThenReapplyIsEmptyAndShowAppliesAsIs()
      throws Exception {
    var desired = OvsNode.state(CREATE);
    var result = engine.apply(desired, ApplyOptions.defaults());
    assertThat(result)
        .as(() -> result.toString() + node.ovs.vswitchdLog(30))
        .isInstanceOf(ApplyResult.Applied.class);

    assertThat(node.ovs.vsctl("list-ports", "ovs-br0")).isEqualTo("eth1\novs0\n");
    assertThat(node.ovs.vsctl("get", "Bridge", "ovs-br0", "stp_enable").strip()).isEqualTo("true");
    assertThat(node.ovs.vsctl("get", "Bridge", "ovs-br0", "datapath_type").strip()).isEqualTo(DP);
    assertThat(node.ovs.vsctl("get", "Interface", "ovs0", "type").strip()).isEqualTo("internal");
    assertThat(node.ns.ip("-4", "-br", "addr", "show", "dev", "ovs0").stdout())
        .contains("198.18.7.1/24");
    assertThat(node.ns.link("ovs0").path("flags").toString()).contains("\"UP\"");

    assertThat(engine.plan(desired).isEmpty())
        .as(() -> engine.plan(desired).describe().toString())
        .isTrue();

    var shown = engine.show(n -> true);
    var yaml = StateWriter.toYaml(shown);
    assertThat(yaml).contains("type: ovs-bridge").contains("description: built by a test");
    var br =
        shown.interfacesOrEmpty().stream()
            .filter(i -> i instanceof Interface.OvsBridge)
            .map(i -> (Interface.OvsBridge) i)
            .findFirst()
            .orElseThrow();
    assertThat(br.bridge().port()).extracting(p -> p.name()).containsExactly("eth1", "ovs0");
    var ovs0 =
        shown.interfacesOrEmpty().stream()
            .filter(i -> i.name().equals("ovs0"))
            .findFirst()
            .orElseThrow();
    assertThat(ovs0).isInstanceOf(Interface.OvsInterface.class);
    assertThat(ovs0.common().controller()).isEqualTo("ovs-br0");
    var again = StateParser.parse(yaml);
    assertThat(again.problems()).isEmpty();
    assertThat(engine.plan(again.state()).describe()).isEmpty();
  }

  @Test
  void aBridgeAndItsInternalPortMayShareTheirNameAsBrEx() throws Exception {
    // OpenShift's br-ex: verification compares each entry with its own kind's shown entry, and
    // the internal port (controller: its bridge, as show prints it) keeps its IP.
    var desired =
        OvsNode.state(
            """
            interfaces:
            - name: br-ex
              type: ovs-bridge
              description: the node's uplink bridge
              bridge:
                options: {stp: false, datapath: %s}
                port:
                - name: eth1
                - name: br-ex
            - name: br-ex
              type: ovs-interface
              controller: br-ex
              mtu: 1400
              description: uplink device
              ipv4:
                enabled: true
                address:
                - {ip: 198.18.7.1, prefix-length: 24}
            """
                .formatted(DP));
    var r = engine.apply(desired, ApplyOptions.defaults());
    assertThat(r).as(() -> r + node.ovs.vswitchdLog(30)).isInstanceOf(ApplyResult.Applied.class);
    assertThat(engine.differences(desired)).isEmpty();
    assertThat(node.ns.link("br-ex").path("mtu").asInt()).isEqualTo(1400);
    assertThat(node.ns.ip("-4", "-br", "addr", "show", "dev", "br-ex").stdout())
        .contains("198.18.7.1/24");
    var yaml = StateWriter.toYaml(engine.show(n -> n.equals("br-ex") || n.equals("eth1")));
    assertThat(yaml).contains("the node's uplink bridge").contains("uplink device");
    var again = StateParser.parse(yaml);
    assertThat(again.problems()).isEmpty();
    assertThat(engine.plan(again.state()).describe()).isEmpty();
  }

  @Test
  void changesOnlyWhatDiffersAndRemovesTheBridge() throws Exception {
    engine.apply(OvsNode.state(CREATE), ApplyOptions.defaults());
    var plan =
        engine.plan(
            OvsNode.state(
                """
                interfaces:
                - name: ovs-br0
                  type: ovs-bridge
                  bridge:
                    options: {stp: false}
                """));
    assertThat(plan.describe())
        .containsExactly(
            "ovs-vsctl set bridge ovs-br0 stp_enable=false",
            "ovsdb transaction (2 operations on "
                + node.ovs.socket()
                + "), then wait for ovs-vswitchd");

    var removal = OvsNode.state("interfaces: [{name: ovs-br0, type: ovs-bridge, state: absent}]");
    var r = engine.apply(removal, ApplyOptions.defaults());
    assertThat(r).isInstanceOf(ApplyResult.Applied.class);
    assertThat(node.ovs.vsctl("list-br")).isEmpty();
    assertThat(node.ns.hasLink("ovs0")).isFalse();
    assertThat(engine.plan(removal).isEmpty()).isTrue();
  }

  @Test
  void onTheKernelDatapathTheInternalPortIsAnOpenvswitchDevice() throws Exception {
    // Skips here naming the missing module; the kernel-VM tier loads it.
    KernelFeature.require(KernelFeature.OPENVSWITCH_DATAPATH);
    var r =
        engine.apply(
            OvsNode.state(CREATE.replace("datapath: " + DP, "datapath: system")),
            ApplyOptions.defaults());
    assertThat(r).as(r::toString).isInstanceOf(ApplyResult.Applied.class);
    assertThat(node.ns.link("ovs0").path("linkinfo").path("info_kind").asText())
        .isEqualTo("openvswitch");
    assertThat(node.ns.hasLink("ovs-system")).isTrue();
    assertThat(node.ns.link("eth1").path("master").asText()).isEqualTo("ovs-system");
    var shown = StateWriter.toYaml(engine.show(n -> n.equals("eth1") || n.equals("ovs0")));
    assertThat(shown).contains("controller: ovs-br0").doesNotContain("ovs-system");
    assertThat(
            engine
                .plan(OvsNode.state(CREATE.replace("datapath: " + DP, "datapath: system")))
                .isEmpty())
        .isTrue();
  }

  @Test
  void aNewBridgeWithoutDatapathGetsTheOneThisKernelCanRun() throws Exception {
    // kubernetes-nmstate's docs/examples/ovs-bridge.yaml desired state: no datapath given.
    var desired =
        OvsNode.state(
            """
            interfaces:
            - name: br1
              description: ovs bridge with eth1 as a port
              type: ovs-bridge
              state: up
              bridge:
                options:
                  stp: false
                port:
                - name: eth1
            """);
    var r = engine.apply(desired, ApplyOptions.defaults());
    assertThat(r).as(r::toString).isInstanceOf(ApplyResult.Applied.class);
    assertThat(node.ovs.vsctl("get", "Bridge", "br1", "datapath_type").strip())
        .isEqualTo(LabOvs.kernelDatapath() ? "\"\"" : "netdev");
    assertThat(node.ovs.vsctl("get", "Interface", "eth1", "ofport").strip()).isNotIn("-1", "[]");
    assertThat(engine.plan(desired).isEmpty()).isTrue();
  }

  @Test
  void withoutOpenVswitchAnOvsStateIsRefusedNamingTheSocket() throws Exception {
    var missing = dir.resolve("nowhere.sock");
    try (var e = Engine.open(Target.of(node.ns.name()).withOvsdbSocket(missing), dir)) {
      assertThat(
              org.assertj.core.api.Assertions.catchThrowableOfType(
                  PlanException.class, () -> e.plan(OvsNode.state(CREATE))))
          .hasMessageContaining("interfaces[1].type")
          .hasMessageContaining("no OVSDB socket at " + missing);
    }
  }
}
