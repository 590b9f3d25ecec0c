package io.multihome.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Desired states are read as YAML 1.2 with the core schema, as nmstate reads them (issue 15, item
 * 5): plain scalars YAML 1.1 turned into sexagesimal numbers or booleans stay strings.
 */
class Yaml12Test {

  @Test
  void scalarsYaml11ReadAsNumbersOrBooleansAreStrings() {
    var parsed =
        Documents.read(
            """
            interfaces:
            - name: eth1
              description: 12:30:45.5
              pci-address: 0000:07:00.0
            - name: eth2
              description: on
            - name: eth3
              description: yes
              mtu: 0x5dc
              ipv4: {enabled: true}
            """);

    assertThat(parsed.error()).isNull();
    var ifaces = parsed.documents().get(0).get("interfaces");
    assertThat(ifaces.get(0).get("description").isTextual()).isTrue();
    assertThat(ifaces.get(0).get("description").textValue()).isEqualTo("12:30:45.5");
    assertThat(ifaces.get(0).get("pci-address").textValue()).isEqualTo("0000:07:00.0");
    assertThat(ifaces.get(1).get("description").textValue()).isEqualTo("on");
    assertThat(ifaces.get(2).get("description").textValue()).isEqualTo("yes");
    assertThat(ifaces.get(2).get("mtu").intValue()).isEqualTo(1500);
    assertThat(ifaces.get(2).get("ipv4").get("enabled").booleanValue()).isTrue();
    var state = StateParser.parse(parsed.documents().get(0));
    assertThat(state.problems()).isEmpty();
    assertThat(state.state().interfaces().get(1).common().description()).isEqualTo("on");
  }

  @Test
  void syntaxErrorsAndDuplicateKeysNameTheirPlace() {
    assertThat(Documents.read("interfaces:\n- name: a\n  name: b\n").error())
        .startsWith("line 3, column 3:")
        .contains("duplicate key 'name'");
    assertThat(Documents.read("interfaces: [a\n").error()).startsWith("line ");
  }

  @Test
  void multipleDocumentsAndEmptyOnes() {
    var parsed = Documents.read("---\na: 1\n---\n---\nb: [1, 2]\n");
    assertThat(parsed.error()).isNull();
    assertThat(parsed.documents()).hasSize(2);
  }

  /**
   * What the writer emits reads back as the same strings with a YAML 1.2 reader (nmstate, this
   * parser) and a YAML 1.1 one (SnakeYAML 1.1 resolver, as older Kubernetes tooling types plain
   * scalars): a PCI address, a sexagesimal-looking time, on/yes, hex, octal, exponent, timestamp,
   * underscore and merge-key strings are quoted.
   */
  @Test
  void writtenStringsReadBackAsStringsInYaml12AndYaml11() throws Exception {
    var values =
        java.util.List.of(
            "000:18:00.2",
            "0000:07:00.0",
            "12:30:45.5",
            "190:20:30",
            "on",
            "Off",
            "y",
            "0x1f",
            "0o17",
            "017",
            "0b101",
            "1_000",
            "+12",
            "1e3",
            ".inf",
            "2001-12-14",
            "~",
            "null",
            "<<",
            "=",
            "plain text",
            "eth1");
    var doc = new StringBuilder("interfaces:\n");
    for (int i = 0; i < values.size(); i++) {
      doc.append("- {name: e")
          .append(i)
          .append(", description: '")
          .append(values.get(i))
          .append("', type: ovs-interface, ovs-db: {external_ids: {'")
          .append(values.get(i))
          .append("': x}}}\n");
    }
    var parsed = StateParser.parse(doc.toString());
    assertThat(parsed.problems()).isEmpty();
    var yaml = StateWriter.toYaml(parsed.state());

    var again = StateParser.parse(yaml);
    assertThat(again.problems()).as(yaml).isEmpty();
    var yaml11 = new org.yaml.snakeyaml.Yaml().<java.util.Map<String, Object>>load(yaml);
    var list = (java.util.List<?>) yaml11.get("interfaces");
    for (int i = 0; i < values.size(); i++) {
      var v = values.get(i);
      var c = again.state().interfaces().get(i).common();
      assertThat(c.description()).as("YAML 1.2: " + v).isEqualTo(v);
      assertThat(c.ovsDb().externalIds()).as("YAML 1.2 key: " + v).containsKey(v);
      var m = (java.util.Map<?, ?>) list.get(i);
      assertThat(m.get("description")).as("YAML 1.1: " + v).isEqualTo(v);
      var ids = (java.util.Map<?, ?>) ((java.util.Map<?, ?>) m.get("ovs-db")).get("external_ids");
      assertThat(new java.util.ArrayList<Object>(ids.keySet()))
          .as("YAML 1.1 key: " + v)
          .containsExactly(v);
    }
  }
}
