package io.multihome.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelFieldsTest {

  @Test
  void enumeratesKeysOfEverySectionDownToTheLeaves() {
    var all = ModelFields.enumerate();
    all.values().forEach(f -> System.out.println(f.path() + " " + f.shape() + " " + f.category()));
    assertThat(all)
        .containsKeys(
            "interfaces[].mtu",
            "interfaces[].ipv4.address[].ip",
            "interfaces[].bridge.options.stp.hello-time",
            "interfaces[].bridge.port[].vlan.trunk-tags[].id-range.min",
            "interfaces[].link-aggregation.options.miimon",
            "routes.config[].next-hop-address",
            "route-rules.config[].fwmark",
            "dns-resolver.config.server",
            "interfaces[].ethernet.sr-iov.vfs[].vlan-proto");
    assertThat(all.get("interfaces[].bridge.options.group-forward-mask").category())
        .isEqualTo(ModelFields.Category.ALIAS);
    assertThat(all.get("routes.running").category()).isEqualTo(ModelFields.Category.QUERY_ONLY);
  }

  @Test
  void openVswitchKeysIncludingTheStringMapsAndDpdk() {
    var all = ModelFields.enumerate();
    assertThat(all)
        .containsKeys(
            "interfaces[].bridge.allow-extra-patch-ports",
            "interfaces[].bridge.options.rstp",
            "interfaces[].bridge.port[].link-aggregation.bond-updelay",
            "interfaces[].patch.peer",
            "ovn.bridge-mappings[].localnet");
    for (var map :
        java.util.List.of(
            "ovs-db.external_ids",
            "interfaces[].ovs-db.other_config",
            "interfaces[].bridge.port[].link-aggregation.ovs-db.external_ids")) {
      assertThat(all.get(map)).as(map).isNotNull();
      assertThat(all.get(map).shape()).as(map).isEqualTo(ModelFields.Shape.RAW);
      assertThat(all.get(map).category()).as(map).isEqualTo(ModelFields.Category.FIELD);
    }
    assertThat(all.get("interfaces[].dpdk").category()).isEqualTo(ModelFields.Category.UNSUPPORTED);
    // The ovs-bridge parser reads the stp map too: linux-bridge's timers stay typed fields.
    assertThat(all.get("interfaces[].bridge.options.stp.max-age").category())
        .isEqualTo(ModelFields.Category.FIELD);
  }

  @Test
  void keysByKind() {
    var ovs = ModelFields.enumerate(InterfaceType.OVS_BRIDGE);
    var linux = ModelFields.enumerate(InterfaceType.LINUX_BRIDGE);
    assertThat(ovs).containsKey("interfaces[].bridge.options.rstp").containsKey("interfaces[].mtu");
    assertThat(ovs).doesNotContainKey("interfaces[].bridge.port[].stp-path-cost");
    assertThat(linux).doesNotContainKey("interfaces[].bridge.options.rstp");
    assertThat(linux).containsKey("interfaces[].bridge.port[].stp-path-cost");
    assertThat(ModelFields.enumerate(InterfaceType.OVS_INTERFACE))
        .containsKey("interfaces[].patch.peer")
        .doesNotContainKey("interfaces[].bridge.options.rstp");
  }
}
