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
}
