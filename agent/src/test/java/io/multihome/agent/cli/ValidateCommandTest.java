package io.multihome.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {

  @TempDir Path dir;

  private record Run(int code, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }
  }

  private static Run run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  private String write(String name, String text) throws IOException {
    var file = dir.resolve(name);
    Files.writeString(file, text);
    return file.toString();
  }

  @Test
  void aDocumentWithFiveMistakesReportsAllFiveAndExits2() throws IOException {
    var file =
        write(
            "five.yaml",
            """
            apiVersion: nmstate.io/v1
            kind: NodeNetworkConfigurationPolicy
            metadata:
              name: five-mistakes
            spec:
              maxUnavailable: 0
              desiredState:
                interfaces:
                - name: eth1
                  type: ethernet
                  state: up
                  ipv4:
                    enabled: true
                    address:
                    - ip: 198.18.0.256
                      prefix-length: 24
                - name: eth1.4095
                  type: vlan
                  vlan:
                    base-iface: eth1
                    id: 4095
                - name: a-bridge-with-a-long-name
                  type: linux-bridge
                  bridge:
                    port:
                    - name: eth2
                      vlan:
                        mode: trunk
                        trunk-tag: [{id: 10}]
                routes:
                  config:
                  - next-hop-interface: eth1
            """);
    var r = run("validate", file);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.lines())
        .containsExactlyInAnyOrder(
            file
                + ": spec.desiredState.interfaces[2].bridge.port[0].vlan.trunk-tag: unknown"
                + " field 'trunk-tag'; did you mean 'trunk-tags'?",
            file
                + ": spec.maxUnavailable: 0 is invalid; it must be an integer of at least 1 or"
                + " a percentage from 1% to 100%, like \"50%\"",
            file
                + ": spec.desiredState.interfaces[0].ipv4.address[0].ip: '198.18.0.256' is not"
                + " an IP address",
            file + ": spec.desiredState.interfaces[1].vlan.id: 4095 is outside 1..4094",
            file
                + ": spec.desiredState.interfaces[2].name: 'a-bridge-with-a-long-name' is 25"
                + " bytes long; Linux allows at most 15",
            file
                + ": spec.desiredState.interfaces[2].bridge.port[0].vlan.trunk-tags: trunk mode"
                + " needs at least one entry in trunk-tags",
            file
                + ": spec.desiredState.routes.config[0].destination: is required (only a route"
                + " with state: absent may leave it out)");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void aKindWeDoNotImplementGetsExactlyOneNotSupportedError() throws IOException {
    var file =
        write(
            "xfrm.yaml",
            """
            apiVersion: nmstate.io/v1
            kind: NodeNetworkConfigurationPolicy
            metadata: {name: xfrm0}
            spec:
              desiredState:
                interfaces:
                - name: eth1
                  type: ethernet
                - name: xfrm0
                  type: xfrm
                  state: up
                  xfrm: {base-iface: eth1, if-id: 100}
            """);
    var r = run("validate", file);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.lines())
        .containsExactly(
            file
                + ": spec.desiredState.interfaces[1].type: interface type 'xfrm' is not"
                + " supported yet by multihome");
  }

  @Test
  void anOvsPolicyValidatesAndADpdkPortIsRefusedWithItsReason() throws IOException {
    // Until issue 20 every ovs-bridge was refused ("multihome does not manage Open vSwitch").
    var ovs =
        """
        apiVersion: nmstate.io/v1
        kind: NodeNetworkConfigurationPolicy
        metadata: {name: ovs-br0}
        spec:
          desiredState:
            interfaces:
            - name: eth1
              type: ethernet
            - name: ovs-br0
              type: ovs-bridge
              state: up
              bridge:
                allow-extra-patch-ports: true
                options: {stp: true, rstp: false, mcast-snooping-enable: false}
                port: [{name: eth1}, {name: ovs0, vlan: {mode: access, tag: 2}}]
            - name: ovs0
              type: ovs-interface
        """;
    var good = write("ovs.yaml", ovs);
    assertThat(run("validate", good).code()).isZero();
    var bad = write("ovs-dpdk.yaml", ovs + "      dpdk: {devargs: \"0000:18:00.2\"}\n");
    var r = run("validate", bad);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.lines())
        .containsExactly(
            bad
                + ": spec.desiredState.interfaces[2].dpdk: DPDK ports are not supported: multihome"
                + " runs Open vSwitch without DPDK (no poll-mode threads, hugepages or vfio"
                + " binding); use a system or internal port");
  }

  @Test
  void everyExampleIsValid() throws IOException {
    var files = new ArrayList<String>();
    try (Stream<Path> list = Files.list(Path.of("..", "docs", "examples"))) {
      list.filter(p -> p.toString().endsWith(".yaml"))
          .sorted()
          .forEach(p -> files.add(p.toString()));
    }
    assertThat(files).isNotEmpty();
    var args = new ArrayList<String>();
    args.add("validate");
    args.addAll(files);
    var r = run(args.toArray(String[]::new));
    assertThat(r.code()).isZero();
    // The capture example says what could not be checked without a node state.
    var notes =
        r.lines().stream().filter(l -> l.contains(": not evaluated (no node state)")).toList();
    assertThat(notes)
        .singleElement()
        .asString()
        .contains("capture-bridge-on-default-nic.yaml: spec.capture: not evaluated");
    var verdicts = r.lines().stream().filter(l -> !notes.contains(l)).toList();
    assertThat(String.join("\n", verdicts)).doesNotContain(": spec");
    assertThat(verdicts).hasSize(files.size()).allMatch(l -> l.endsWith(": valid"));
  }

  @Test
  void yamlSyntaxErrorsAreReportedWithLineAndColumnNotAStackTrace() throws IOException {
    var file = write("broken.yaml", "interfaces:\n- name: eth1\n   type: ethernet\n  : [\n");
    var r = run("validate", file);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.lines())
        .singleElement()
        .asString()
        .matches("\\Q" + file + "\\E: line \\d+, column \\d+: .+");
    assertThat(r.out() + r.err()).doesNotContain("Exception", "\tat ");
  }

  @Test
  void duplicateKeysAreSyntaxErrors() throws IOException {
    var file = write("dup.yaml", "interfaces:\n- name: eth1\n  name: eth2\n");
    var r = run("validate", file);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).contains(file + ": line 3, column", "duplicate key 'name'");
  }

  @Test
  void multiDocumentFilesAndBareStatesAndJson() throws IOException {
    var multi =
        write(
            "multi.yaml",
            """
            interfaces: [{name: eth1, type: ethernet, mtu: 1500}]
            ---
            interfaces: [{name: eth2, type: ethernet, mtu: 20}]
            """);
    var json = write("state.json", "{\"interfaces\": [{\"name\": \"eth1\", \"state\": \"up\"}]}");
    var r = run("validate", multi, json);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.lines())
        .containsExactly(
            multi + "#2: interfaces[0].mtu: 20 is outside 68..65535", json + ": valid");
  }

  @Test
  void validFileExitsZeroAndMissingFileIsReported() throws IOException {
    var ok = write("ok.yaml", "interfaces: [{name: eth1, type: ethernet, state: up}]\n");
    assertThat(run("validate", ok).code()).isZero();
    var r = run("validate", dir.resolve("nope.yaml").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).contains("nope.yaml: no such file");
    var empty = write("empty.yaml", "# nothing\n");
    assertThat(run("validate", empty).out()).contains("no YAML or JSON document found");
  }

  @Test
  void noFilesIsAUsageError() {
    var r = run("validate");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required parameter");
  }

  /** The README's example is real: its YAML, run through validate, prints exactly its console. */
  @Test
  void theReadmeExampleOutputIsWhatValidatePrints() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    String yaml = block(readme, "```yaml\n");
    List<String> shown =
        block(readme, "```console\n")
            .lines()
            .filter(l -> l.startsWith("br1-eth1.yaml: "))
            .map(l -> l.substring("br1-eth1.yaml: ".length()))
            .toList();
    var file = write("br1-eth1.yaml", yaml);

    var r = run("validate", file);

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.lines())
        .containsExactlyElementsOf(shown.stream().map(l -> file + ": " + l).toList());
    assertThat(shown).hasSize(3);
  }

  private static String block(String text, String opening) {
    int start = text.indexOf(opening);
    assertThat(start).as("README block %s", opening.strip()).isNotNegative();
    start += opening.length();
    return text.substring(start, text.indexOf("```", start));
  }
}
