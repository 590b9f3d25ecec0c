package io.multihome.state.capture;

import static io.multihome.state.capture.States.current;
import static io.multihome.state.capture.States.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateRendererTest {
  private static final Map<String, String> BRIDGE_CAPTURE =
      Map.of(
          "default-gw", "routes.running.destination==\"0.0.0.0/0\"",
          "base-iface", "interfaces.name==capture.default-gw.routes.running.0.next-hop-interface");

  private static Map<String, JsonNode> bridgeCaptured() {
    return CaptureEvaluator.evaluate(BRIDGE_CAPTURE, current(), Map.of());
  }

  @Test
  void bridgeOnTheDefaultGatewayNicCopiesItsMac() {
    var desired =
        yaml(
            """
            interfaces:
            - name: br1
              description: DHCP aware Linux bridge on the default-gw NIC
              type: linux-bridge
              state: up
              mac-address: "{{ capture.base-iface.interfaces.0.mac-address }}"
              ipv4:
                dhcp: true
                enabled: true
              bridge:
                options:
                  stp:
                    enabled: false
                port:
                - name: "{{ capture.base-iface.interfaces.0.name }}"
            """);
    var before = desired.deepCopy();

    var rendered = TemplateRenderer.render(desired, bridgeCaptured());

    var br1 = rendered.path("interfaces").get(0);
    assertThat(br1.path("mac-address").asText()).isEqualTo("02:00:00:00:00:01");
    assertThat(br1.path("bridge").path("port").get(0).path("name").asText()).isEqualTo("eth0");
    assertThat(br1.path("ipv4").path("dhcp").asBoolean()).isTrue();
    assertThat(desired).isEqualTo(before);
  }

  @Test
  void convertDhcpToStaticWithCapturedAddressesRoutesAndDns() {
    var captured =
        CaptureEvaluator.evaluate(
            Map.of(
                "default-gw", "routes.running.destination==\"0.0.0.0/0\"",
                "base-iface",
                    "interfaces.name==capture.default-gw.routes.running.0.next-hop-interface",
                "base-iface-routes",
                    "routes.running.next-hop-interface=="
                        + "capture.default-gw.routes.running.0.next-hop-interface",
                "dns", "dns-resolver.running"),
            current(),
            Map.of());
    var rendered =
        TemplateRenderer.render(
            yaml(
                """
                interfaces:
                - name: "{{ capture.base-iface.interfaces.0.name }}"
                  type: ethernet
                  state: up
                  ipv4:
                    address: "{{ capture.base-iface.interfaces.0.ipv4.address }}"
                    dhcp: false
                    enabled: true
                routes:
                  config: "{{ capture.base-iface-routes.routes.running }}"
                dns-resolver:
                  config: "{{ capture.dns.dns-resolver.running }}"
                """),
            captured);

    assertThat(rendered)
        .isEqualTo(
            yaml(
                """
                interfaces:
                - name: eth0
                  type: ethernet
                  state: up
                  ipv4:
                    address:
                    - ip: 198.18.0.10
                      prefix-length: 24
                    dhcp: false
                    enabled: true
                routes:
                  config:
                  - destination: 0.0.0.0/0
                    next-hop-address: 198.18.0.1
                    next-hop-interface: eth0
                    metric: 100
                    table-id: 254
                  - destination: 198.18.0.0/24
                    next-hop-address: 0.0.0.0
                    next-hop-interface: eth0
                    metric: 100
                    table-id: 254
                dns-resolver:
                  config:
                    search: [example.test]
                    server: [198.18.0.53, "2001:db8::53"]
                """));
  }

  @Test
  void nonStringValuesReplaceTheStringNodeAndBlanksAreTolerated() {
    var rendered =
        TemplateRenderer.render(
            yaml(
                """
                mtu: "{{capture.base-iface.interfaces.0.mtu}}"
                dhcp: "  {{   capture.base-iface.interfaces.0.ipv4.dhcp   }} "
                whole: "{{ capture.default-gw }}"
                plain: "no reference here {{ x }}"
                number: 7
                """),
            bridgeCaptured());
    assertThat(rendered.get("mtu").isInt()).isTrue();
    assertThat(rendered.get("mtu").asInt()).isEqualTo(1500);
    assertThat(rendered.get("dhcp").isBoolean()).isTrue();
    assertThat(rendered.get("whole")).isEqualTo(bridgeCaptured().get("default-gw"));
    assertThat(rendered.get("plain").asText()).isEqualTo("no reference here {{ x }}");
    assertThat(rendered.get("number").asInt()).isEqualTo(7);
  }

  @Test
  void substitutedValuesAreCopiesNotSharedWithTheCapture() {
    var captured = bridgeCaptured();
    var rendered =
        TemplateRenderer.render(
            yaml("a: \"{{ capture.default-gw.routes }}\"\nb: \"{{ capture.default-gw.routes }}\""),
            captured);
    rendered.withObject("/a").put("changed", true);
    assertThat(rendered.path("b").has("changed")).isFalse();
    assertThat(captured.get("default-gw").path("routes").has("changed")).isFalse();
  }

  @Test
  void unknownCaptureNamesTheFieldAndPointsAtTheName() {
    var e =
        catchThrowableOfType(
            CaptureException.class,
            () ->
                TemplateRenderer.render(
                    yaml("interfaces:\n- name: \"{{ capture.nope.interfaces.0.name }}\""),
                    bridgeCaptured()));
    assertThat(e.getMessage())
        .isEqualTo(
            """
            desiredState.interfaces[0].name: reference to unknown capture 'nope'; captured: [base-iface, default-gw]
            | {{ capture.nope.interfaces.0.name }}
            | ...........^""");
  }

  @Test
  void pathNotFoundPointsAtTheStep() {
    var e =
        catchThrowableOfType(
            CaptureException.class,
            () ->
                TemplateRenderer.render(
                    yaml("mac: \"{{ capture.base-iface.interfaces.1.mac-address }}\""),
                    bridgeCaptured()));
    assertThat(e.subject()).isEqualTo("desiredState.mac");
    assertThat(e.position()).isEqualTo(33);
    assertThat(e.reason()).contains("index 1 is out of range");
  }

  @Test
  void embeddedReferenceIsRejected() {
    var e =
        catchThrowableOfType(
            CaptureException.class,
            () ->
                TemplateRenderer.render(
                    yaml("description: \"bridge on {{ capture.base-iface.interfaces.0.name }}\""),
                    bridgeCaptured()));
    assertThat(e.position()).isEqualTo(10);
    assertThat(e.reason()).contains("must be the whole string value");
  }

  @Test
  void malformedReferenceIsReported() {
    var notCapture =
        catchThrowableOfType(
            CaptureException.class,
            () -> TemplateRenderer.render(yaml("x: \"{{ routes.running }}\""), bridgeCaptured()));
    assertThat(notCapture.position()).isEqualTo(3);
    assertThat(notCapture.reason()).contains("must start with 'capture.<name>'");

    var trailing =
        catchThrowableOfType(
            CaptureException.class,
            () ->
                TemplateRenderer.render(
                    yaml("x: \"{{ capture.default-gw.routes extra }}\""), bridgeCaptured()));
    assertThat(trailing.position()).isEqualTo(29);
    assertThat(trailing.reason()).contains("expected end of reference");
  }
}
