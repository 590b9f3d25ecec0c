package io.multihome.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class NncpValidatorTest {

  static List<String> problems(String yaml) throws IOException {
    return NncpValidator.checkDocument(Documents.readSingle(yaml)).stream()
        .map(Problem::toString)
        .toList();
  }

  static String nncp(String name, String specExtra) {
    return """
        apiVersion: nmstate.io/v1
        kind: NodeNetworkConfigurationPolicy
        metadata:
          name: %s
        spec:
        %s
          desiredState:
            interfaces:
            - {name: eth1, type: ethernet, state: up}
        """
        .formatted(name, specExtra.indent(2).stripTrailing());
  }

  @Test
  void validPolicyAndV1beta1() throws IOException {
    assertThat(problems(nncp("eth1-up", "maxUnavailable: 3"))).isEmpty();
    assertThat(problems(nncp("eth1-up", "maxUnavailable: \"10%\"").replace("/v1", "/v1beta1")))
        .isEmpty();
  }

  @Test
  void policyNameMustBeALabelValue() throws IOException {
    assertThat(problems(nncp("-bad-", "")))
        .containsExactly(
            "metadata.name: '-bad-' must be 1..63 characters of letters, digits, '-', '_' or '.',"
                + " starting and ending with a letter or digit (it is used as a label value on"
                + " enactments)");
    assertThat(problems(nncp("a".repeat(64), ""))).hasSize(1);
    assertThat(problems(nncp("a".repeat(63), ""))).isEmpty();
  }

  @Test
  void maxUnavailableIsAPositiveIntegerOrAPercentage() throws IOException {
    for (var bad : List.of("0", "-1", "\"0%\"", "\"150%\"", "\"3\"", "half")) {
      assertThat(problems(nncp("p", "maxUnavailable: " + bad)))
          .as(bad)
          .singleElement()
          .asString()
          .startsWith("spec.maxUnavailable: ");
    }
    for (var good : List.of("1", "\"1%\"", "\"100%\"", "50%")) {
      assertThat(problems(nncp("p", "maxUnavailable: " + good))).as(good).isEmpty();
    }
  }

  @Test
  void nodeSelectorKeysAndValuesAreLabels() throws IOException {
    assertThat(
            problems(
                nncp(
                    "p",
                    """
                    nodeSelector:
                      node-role.kubernetes.io/worker: ""
                      Bad_Prefix/x: a
                      kubernetes.io/hostname: node_01-
                      enabled: true
                    """)))
        .containsExactly(
            "spec.nodeSelector.Bad_Prefix/x: key prefix 'Bad_Prefix' is not a DNS subdomain",
            "spec.nodeSelector.kubernetes.io/hostname: value 'node_01-' is not a label value (at"
                + " most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or"
                + " digit)",
            "spec.nodeSelector.enabled: value must be a string; quote it, e.g. \"true\"");
  }

  @Test
  void templatesMustNameADefinedCapture() throws IOException {
    var yaml =
        """
        apiVersion: nmstate.io/v1
        kind: NodeNetworkConfigurationPolicy
        metadata: {name: capture-policy}
        spec:
          capture:
            gw: routes.running.destination=="0.0.0.0/0"
            iface: interfaces.name==capture.gateway.routes.running.0.next-hop-interface
          desiredState:
            interfaces:
            - name: "{{ capture.iface.interfaces.0.name }}"
              ipv4: "{{ capture.missing.interfaces.0.ipv4 }}"
            - name: bond0
              type: bond
              link-aggregation:
                mode: active-backup
                options: {primary: "{{ capture.gw.routes.running.0.next-hop-interface }}"}
            - name: xfrm0
              type: xfrm
              xfrm: {base-iface: "{{ capture.nope.interfaces.0.name }}"}
        """;
    assertThat(problems(yaml))
        .containsExactly(
            """
            spec.capture.iface: reference to unknown capture 'gateway'; known captures: [gw, iface]
            | interfaces.name==capture.gateway.routes.running.0.next-hop-interface
            | .........................^""",
            "spec.desiredState.interfaces[2].type: interface type 'xfrm' is not supported yet by"
                + " multihome",
            """
            spec.desiredState.interfaces[0].ipv4: reference to unknown capture 'missing'; known \
            captures: [gw, iface]
            | {{ capture.missing.interfaces.0.ipv4 }}
            | ...........^""",
            """
            spec.desiredState.interfaces[2].xfrm.base-iface: reference to unknown capture 'nope'; \
            known captures: [gw, iface]
            | {{ capture.nope.interfaces.0.name }}
            | ...........^""");
  }

  @Test
  void otherKindsAndStructureErrors() throws IOException {
    assertThat(problems("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"))
        .singleElement()
        .asString()
        .startsWith("kind: 'ConfigMap' is not supported;");
    assertThat(
            problems(
                """
                apiVersion: nmstate.io/v2
                kind: NodeNetworkConfigurationPolicy
                metadata: {name: p}
                spec:
                  desiredstate: {}
                  priority: 1
                """))
        .containsExactly(
            "apiVersion: 'nmstate.io/v2' is not served; expected nmstate.io/v1 or"
                + " nmstate.io/v1beta1",
            "spec.desiredstate: unknown field 'desiredstate'; expected desiredState,"
                + " nodeSelector, capture, maxUnavailable",
            "spec.priority: unknown field 'priority'; expected desiredState, nodeSelector,"
                + " capture, maxUnavailable",
            "spec.desiredState: is required");
  }

  @Test
  void desiredStateProblemsArePrefixed() throws IOException {
    assertThat(problems(nncp("p", "").replace("state: up}", "state: up, mtu: 10}")))
        .containsExactly("spec.desiredState.interfaces[0].mtu: 10 is outside 68..65535");
  }
}
