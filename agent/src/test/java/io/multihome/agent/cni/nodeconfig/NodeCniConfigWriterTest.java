package io.multihome.agent.cni.nodeconfig;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeCniConfigWriterTest {

  @TempDir Path dir;

  @Test
  void wrapsTheLexicallyFirstOtherConfigAndKeepsItsCapabilities() throws Exception {
    Files.writeString(
        dir.resolve("20-b.conflist"), "{\"cniVersion\":\"0.4.0\",\"name\":\"b\",\"plugins\":[]}");
    Files.writeString(
        dir.resolve("10-flannel.conflist"),
        "{\"cniVersion\":\"1.0.0\",\"name\":\"cbr0\",\"plugins\":[{\"type\":\"flannel\"},"
            + "{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true}}]}");
    var writer = new NodeCniConfigWriter(dir, null, null);
    assertThat(writer.sync()).isEqualTo(NodeCniConfigWriter.Outcome.WRITTEN);
    var json = new ObjectMapper().readTree(dir.resolve("00-multihome.conflist").toFile());
    assertThat(json.path("cniVersion").asText()).isEqualTo("1.0.0");
    var plugin = json.path("plugins").get(0);
    assertThat(plugin.path("type").asText()).isEqualTo("multihome-cni");
    assertThat(plugin.path("clusterNetwork").asText())
        .isEqualTo(dir.resolve("10-flannel.conflist").toString());
    assertThat(plugin.path("capabilities").path("portMappings").asBoolean()).isTrue();
    assertThat(writer.sync())
        .as("our own file is never the primary")
        .isEqualTo(NodeCniConfigWriter.Outcome.UNCHANGED);
  }

  @Test
  void configuredPrimaryWins() throws Exception {
    Files.writeString(
        dir.resolve("05-a.conf"), "{\"cniVersion\":\"1.0.0\",\"name\":\"a\",\"type\":\"x\"}");
    Path chosen = dir.resolve("99-z.conf");
    Files.writeString(chosen, "{\"cniVersion\":\"1.0.0\",\"name\":\"z\",\"type\":\"x\"}");
    new NodeCniConfigWriter(dir, chosen, null).sync();
    assertThat(Files.readString(dir.resolve("00-multihome.conflist"))).contains("99-z.conf");
  }

  @Test
  void readinessIndicatorGatesTheFile() throws Exception {
    Files.writeString(
        dir.resolve("10-a.conf"), "{\"cniVersion\":\"1.0.0\",\"name\":\"a\",\"type\":\"x\"}");
    Path indicator = dir.resolve("ready/flag");
    var writer = new NodeCniConfigWriter(dir, null, indicator);
    assertThat(writer.sync()).isEqualTo(NodeCniConfigWriter.Outcome.WAITING_FOR_READINESS);
    assertThat(dir.resolve("00-multihome.conflist")).doesNotExist();
    Files.createDirectories(indicator.getParent());
    Files.writeString(indicator, "");
    assertThat(writer.sync()).isEqualTo(NodeCniConfigWriter.Outcome.WRITTEN);
    assertThat(Files.readString(dir.resolve("00-multihome.conflist")))
        .contains("\"readinessIndicatorFile\" : \"" + indicator + "\"");
    Files.delete(indicator);
    assertThat(writer.sync()).isEqualTo(NodeCniConfigWriter.Outcome.WAITING_FOR_READINESS);
    assertThat(dir.resolve("00-multihome.conflist")).doesNotExist();
  }

  @Test
  void noPrimaryMeansNoFile() throws Exception {
    assertThat(new NodeCniConfigWriter(dir, null, null).sync())
        .isEqualTo(NodeCniConfigWriter.Outcome.NO_PRIMARY_CONFIG);
  }
}
