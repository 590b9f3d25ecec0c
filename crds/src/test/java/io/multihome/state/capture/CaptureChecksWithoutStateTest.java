package io.multihome.state.capture;

import static io.multihome.state.capture.States.current;
import static io.multihome.state.capture.States.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What {@code multihome validate} checks without a node state (issue 19, deliverable 3): every
 * capture's problem at once, the desired state's templates, and nmstate's whole-state form.
 */
class CaptureChecksWithoutStateTest {

  @Test
  void checkEachReportsEveryBrokenCaptureNotOnlyTheFirst() {
    var errors =
        CaptureSyntax.checkEach(
            Map.of(
                "a", "interfaces.name = \"x\"",
                "b", "routes.running.destination==\"0.0.0.0/0\"",
                "c", "interfaces.name==capture.nope.interfaces.0.name",
                "d", "interfaces.name == eth0"));

    assertThat(errors)
        .extracting(CaptureException::subject, CaptureException::position)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("capture a", 16),
            org.assertj.core.groups.Tuple.tuple("capture d", 19),
            org.assertj.core.groups.Tuple.tuple("capture c", 25));
    assertThat(errors.get(2).reason()).contains("unknown capture 'nope'");
  }

  @Test
  void aCycleIsReportedOnceAtTheCaptureThatClosesIt() {
    var errors =
        CaptureSyntax.checkEach(
            Map.of(
                "a", "interfaces.name==capture.b.interfaces.0.name",
                "b", "capture.a | interfaces.mtu:=1400",
                "c", "capture.a | interfaces.state==\"up\""));

    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).getMessage())
        .isEqualTo(
            """
            capture b: circular capture reference: a -> b -> a
            | capture.a | interfaces.mtu:=1400
            | ........^""");
  }

  @Test
  void plainWordsCaptureTheWholeStateAsNmstateDoesAndOneWordStaysAPathFilter() {
    var state = current();
    var captured =
        CaptureEvaluator.evaluate(
            Map.of(
                "all", "override me with the cache",
                "gw-nic", "interfaces.name == capture.all.routes.running.0.next-hop-interface",
                "only-interfaces", "interfaces"),
            state,
            Map.of());

    assertThat(captured.get("all")).isEqualTo(state);
    assertThat(captured.get("gw-nic").path("interfaces").get(0).path("name").asText())
        .isEqualTo("eth0");
    assertThat(captured.get("only-interfaces").fieldNames())
        .toIterable()
        .containsExactly("interfaces");
    assertThat(CaptureSyntax.checkEach(Map.of("all", "override me with the cache"))).isEmpty();
  }

  @Test
  void templatesAreCheckedForSyntaxNamesAndEmbeddingWithoutAState() {
    var desired =
        yaml(
            """
            interfaces:
            - name: "{{ capture.nic.interfaces.0.name }}"
              mac-address: "{{ capture.nick.interfaces.0.mac-address }}"
              description: "bridge on {{ capture.nic.interfaces.0.name }}"
              mtu: "{{ capture.nic.interfaces..mtu }}"
            """);

    var errors = TemplateRenderer.check(desired, Set.of("nic"), "spec.desiredState");

    assertThat(errors)
        .extracting(CaptureException::subject)
        .containsExactly(
            "spec.desiredState.interfaces[0].mac-address",
            "spec.desiredState.interfaces[0].description",
            "spec.desiredState.interfaces[0].mtu");
    assertThat(errors.get(0).reasonWithSnippet())
        .isEqualTo(
            """
            reference to unknown capture 'nick'; known captures: [nic]
            | {{ capture.nick.interfaces.0.mac-address }}
            | ...........^""");
    assertThat(errors.get(1).reason()).contains("must be the whole string value");
    assertThat(errors.get(2).reason()).contains("expected a name or index after '.'");
    assertThat(
            TemplateRenderer.check(
                desired.path("interfaces").get(0).path("name"), Set.of("nic"), "x"))
        .isEmpty();
  }

  @Test
  void theSnippetKeepsTheCaretUnderTheCharacterWhenTheExpressionSpansLines() {
    var expression = "routes.running.destination==\n  \"0.0.0.0/0\" | x";
    var e = CaptureSyntax.check("gw", expression).orElseThrow();

    assertThat(e.snippet())
        .isEqualTo(
            """
            | routes.running.destination==   "0.0.0.0/0" | x
            | ...........................................^""");
  }
}
