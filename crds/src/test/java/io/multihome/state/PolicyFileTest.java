package io.multihome.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** nmstate policy files and NNCP captures checked and rendered (issue 19, deliverable 3). */
class PolicyFileTest {

  static JsonNode doc(String yaml) throws IOException {
    return Documents.readSingle(yaml);
  }

  static List<String> problems(String yaml) throws IOException {
    return NncpValidator.checkDocument(doc(yaml)).stream().map(Problem::toString).toList();
  }

  static final String CURRENT =
      """
      interfaces:
      - name: eth1
        type: veth
        state: up
        mac-address: "02:00:00:00:00:01"
        ipv4: {enabled: true, address: [{ip: 198.18.1.10, prefix-length: 24}]}
      routes:
        config:
        - {destination: 0.0.0.0/0, next-hop-address: 198.18.1.1, next-hop-interface: eth1}
      """;

  @Test
  void aPolicyFileIsRecognisedByItsKeysAndABareStateIsNot() throws IOException {
    assertThat(PolicyFile.isPolicyFile(doc("capture: {a: interfaces}\ndesiredState: {}"))).isTrue();
    assertThat(PolicyFile.isPolicyFile(doc("desired: {interfaces: []}"))).isTrue();
    assertThat(PolicyFile.isPolicyFile(doc("interfaces: [{name: eth1, mtu: 1400}]"))).isFalse();
    assertThat(
            PolicyFile.isPolicyFile(
                doc("apiVersion: nmstate.io/v1\nkind: NodeNetworkConfigurationPolicy\nspec: {}")))
        .isFalse();
  }

  @Test
  void everyProblemOfAPolicyFileNamesItsPathWithACaretForExpressions() throws IOException {
    var yaml =
        """
        capture:
          gw: routes.running.destination="0.0.0.0/0"
          nic: interfaces.name==capture.gw.routes.running.0.next-hop-interface
        desiredState:
          interfaces:
          - name: "{{ capture.nicc.interfaces.0.name }}"
            mtu: 9
        desired: {}
        current: [1]
        colour: blue
        """;

    var problems = problems(yaml);
    // The desired-state check's own wording is not the subject here, only its path.
    assertThat(problems.get(4)).startsWith("desiredState.interfaces[0].mtu: 9 ");
    assertThat(problems.stream().filter(p -> !p.contains("mtu: 9")))
        .containsExactly(
            "colour: unknown field 'colour'; an nmstate policy has capture, desiredState (or"
                + " desired) and current",
            "desired: desired is another name for desiredState; give only one",
            "current: must be a network state (a mapping)",
            """
            capture.gw: unexpected character '=': expected '=='
            | routes.running.destination="0.0.0.0/0"
            | ..........................^""",
            """
            desiredState.interfaces[0].name: reference to unknown capture 'nicc'; known captures: \
            [gw, nic]
            | {{ capture.nicc.interfaces.0.name }}
            | ...........^""");
  }

  @Test
  void desiredIsAnAliasAndADesiredStateIsRequired() throws IOException {
    assertThat(problems("capture: {a: interfaces}\ndesired: {interfaces: []}")).isEmpty();
    assertThat(problems("capture: {a: interfaces}"))
        .containsExactly(
            "desiredState: is required: the state to apply, with {{ capture.<name>.<path> }}"
                + " templates");
  }

  @Test
  void anNncpRendersWithPathsFromTheManifestRoot() throws IOException {
    var nncp =
        doc(
            """
            apiVersion: nmstate.io/v1
            kind: NodeNetworkConfigurationPolicy
            metadata: {name: br1}
            spec:
              capture:
                gw: routes.running.destination=="0.0.0.0/0"
                nic: interfaces.name==capture.gw.routes.running.0.next-hop-interface
              desiredState:
                interfaces:
                - name: br1
                  type: linux-bridge
                  ipv4: "{{ capture.nic.interfaces.0.ipv4 }}"
                  bridge: {port: [{name: "{{ capture.nic.interfaces.0.name }}"}]}
            """);
    var policy = CapturePolicy.of(nncp);
    var current = CurrentStates.withRunning(doc(CURRENT));

    var rendered = policy.render(current);

    assertThat(rendered.problem()).isNull();
    assertThat(rendered.captured()).containsOnlyKeys("gw", "nic");
    assertThat(rendered.desired().toString())
        .isEqualTo(
            "{\"interfaces\":[{\"name\":\"br1\",\"type\":\"linux-bridge\",\"ipv4\":"
                + "{\"enabled\":true,\"address\":[{\"ip\":\"198.18.1.10\",\"prefix-length\":24}]},"
                + "\"bridge\":{\"port\":[{\"name\":\"eth1\"}]}}]}");
    assertThat(policy.check(current, Set.of("eth1")::contains).problems()).isEmpty();
  }

  @Test
  void evaluationErrorsNameTheCaptureOrTheFieldWithACaret() throws IOException {
    var nncp =
        doc(
            """
            apiVersion: nmstate.io/v1
            kind: NodeNetworkConfigurationPolicy
            metadata: {name: br1}
            spec:
              capture:
                gw: routes.running.destination=="0.0.0.0/0"
                mtu: interfaces.mtu == "1500"
              desiredState:
                interfaces:
                - name: "{{ capture.gw.routes.running.3.next-hop-interface }}"
            """);
    var current = CurrentStates.withRunning(doc(CURRENT.replace("state: up", "mtu: 1500")));

    var problem = CapturePolicy.of(nncp).render(current).problem();
    assertThat(problem.path()).isEqualTo("spec.capture.mtu");
    assertThat(problem.message()).contains("| interfaces.mtu == \"1500\"");

    ((com.fasterxml.jackson.databind.node.ObjectNode) nncp.path("spec").path("capture"))
        .remove("mtu");
    problem = CapturePolicy.of(nncp).render(current).problem();
    assertThat(problem.toString())
        .startsWith("spec.desiredState.interfaces[0].name: ")
        .contains("| {{ capture.gw.routes.running.3.next-hop-interface }}");
  }

  @Test
  void aProblemInARenderedValueNamesTheTemplateItCameFrom() throws IOException {
    var policy =
        CapturePolicy.of(
            doc(
                """
                capture:
                  nic: interfaces.name=="eth1"
                desiredState:
                  interfaces:
                  - name: br1
                    type: linux-bridge
                    mtu: "{{ capture.nic.interfaces.0.mac-address }}"
                """));

    var problems = policy.check(doc(CURRENT), name -> true).problems();

    assertThat(problems)
        .singleElement()
        .asString()
        .startsWith("desiredState.interfaces[0].mtu: ")
        .endsWith("(rendered from \"{{ capture.nic.interfaces.0.mac-address }}\")");
  }

  @Test
  void runningRoutesAndDnsAreFilledFromConfigOnlyWhenMissing() throws IOException {
    var state =
        doc(
            """
            routes:
              config: [{destination: 0.0.0.0/0, next-hop-interface: eth1}]
            dns-resolver:
              config: {server: [198.18.0.53]}
              running: {server: [198.18.0.54]}
            """);

    var shaped = CurrentStates.withRunning(state);

    assertThat(shaped.at("/routes/running")).isEqualTo(state.at("/routes/config"));
    assertThat(shaped.at("/dns-resolver/running/server/0").asText()).isEqualTo("198.18.0.54");
    assertThat(state.at("/routes/running").isMissingNode()).isTrue();
  }
}
