package io.multihome.agent.sriov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multihome.sriov.sysfs.ConfiguredPfStore;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SriovAgentConfigTest {
  @Test
  void defaultsAreUpstreamsLayout() {
    var c = SriovAgentConfig.defaults();
    assertThat(c.operatorNamespace()).isEqualTo("sriov-network-operator");
    assertThat(c.sysfsRoot()).isEqualTo(Path.of("/sys"));
    assertThat(c.resyncInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.pfStoreDir()).isEqualTo(ConfiguredPfStore.DEFAULT_DIR);
    assertThat(c.netns()).isNull();
    assertThat(c.sysfs().root()).isEqualTo(Path.of("/sys"));
  }

  @Test
  void badValuesNameTheirField() {
    var c = SriovAgentConfig.defaults();
    assertThatThrownBy(() -> c.withOperatorNamespace(" "))
        .hasMessageStartingWith("operatorNamespace:");
    assertThatThrownBy(() -> c.withResyncInterval(Duration.ZERO))
        .hasMessageStartingWith("resyncInterval:");
    assertThatThrownBy(() -> c.withNetns("a/b")).hasMessageStartingWith("netns:");
    assertThatThrownBy(() -> c.withSysfsRoot(null)).hasMessageStartingWith("sysfsRoot:");
  }

  @Test
  void withersChangeOnlyTheirField() {
    var c =
        SriovAgentConfig.defaults()
            .withOperatorNamespace("sriov")
            .withNetns("mh-node-1")
            .withResyncInterval(Duration.ofSeconds(5));
    assertThat(c.operatorNamespace()).isEqualTo("sriov");
    assertThat(c.netns()).isEqualTo("mh-node-1");
    assertThat(c.resyncInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.sysfsRoot()).isEqualTo(Path.of("/sys"));
  }
}
