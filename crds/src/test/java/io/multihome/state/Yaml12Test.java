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
}
