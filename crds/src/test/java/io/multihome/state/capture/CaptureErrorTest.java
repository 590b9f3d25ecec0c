package io.multihome.state.capture;

import static io.multihome.state.capture.States.current;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CaptureErrorTest {

  private static CaptureException failure(Map<String, String> capture) {
    return catchThrowableOfType(
        CaptureException.class, () -> CaptureEvaluator.evaluate(capture, current(), Map.of()));
  }

  @Test
  void messageNamesTheCaptureAndPutsACaretUnderTheFailure() {
    var e = failure(Map.of("default-gw", "routes.running.destination!=\"0.0.0.0/0\""));
    assertThat(e.getMessage())
        .isEqualTo(
            """
            capture default-gw: unsupported operator '!': only '==', ':=', '|' and '+' exist
            | routes.running.destination!="0.0.0.0/0"
            | ..........................^""");
    assertThat(e.subject()).isEqualTo("capture default-gw");
    assertThat(e.position()).isEqualTo(26);
  }

  /** Syntax errors: expression, expected caret position, expected reason fragment. */
  @ParameterizedTest
  @CsvSource(
      delimiterString = "~~",
      quoteCharacter = '\'',
      value = {
        "interfaces.name = \"eth0\" ~~ 16 ~~ expected '=='",
        "interfaces.name : \"eth0\" ~~ 16 ~~ expected ':='",
        "interfaces.name == \"eth0 ~~ 19 ~~ string is not terminated",
        "interfaces. ~~ 11 ~~ unexpected end: expected a name or index",
        "interfaces.name == ~~ 18 ~~ unexpected end: expected a value",
        "interfaces.name == eth0 ~~ 19 ~~ strings must be quoted",
        "interfaces.name == \"a\" == \"b\" ~~ 23 ~~ unexpected '==': expected end of expression",
        "interfaces.name $ \"a\" ~~ 16 ~~ unexpected character '$'",
        "0.name == \"a\" ~~ 0 ~~ a path must start with a name",
        "== \"a\" ~~ 0 ~~ a path must start with a name",
        "'' ~~ 0 ~~ unexpected end: expected a path",
        "capture.a.interfaces | interfaces ~~ 10 ~~ the input of a pipe must be 'capture.<name>'",
        "capture.a | ~~ 10 ~~ nothing after the pipe",
        "capture.a | capture.b.interfaces ~~ 12 ~~ cannot start with 'capture'",
        "capture.a ~~ 9 ~~ expected '.<path>' or '|'",
        "capture ~~ 7 ~~ expected '.' after 'capture'",
        "interfaces.name == capture.a ~~ 28 ~~ expected '.<path>' after 'capture.a'",
        "interfaces.name | interfaces.name ~~ 16 ~~ unexpected '|': expected end of expression",
        "interfaces.name == 99999999999999999999 ~~ 19 ~~ too large",
        "interfaces..name ~~ 11 ~~ expected a name or index after '.', found '.'",
        "routes.running + capture.b.routes.running ~~ 0 ~~ the left side of '+' must be",
        "capture.a | routes.running + capture.b.x ~~ 12 ~~ the left side of '+' must be",
        "capture.a.routes.running + ~~ 26 ~~ expected 'capture.<name>.<path>' after '+'",
        "capture.a.routes.running + routes ~~ 27 ~~ the right side of '+' must be",
        "capture.a.routes.running + \"x\" ~~ 27 ~~ found string \"x\"",
        "capture.a + capture.b.routes.running ~~ 10 ~~ expected '.<path>' after 'capture.a'",
        "capture.a.routes.running + capture.b ~~ 36 ~~ expected '.<path>' after 'capture.b'",
        "capture.a.routes.running.0 + capture.b.routes.running ~~ 25 ~~ must end with a name",
        "capture.a.routes.running + capture.b.routes.config ~~ 44 ~~ 'running' and 'config'",
        "capture.a.x + capture.b.x == \"y\" ~~ 26 ~~ unexpected '==': expected end of expression",
      })
  void syntaxErrorsPointAtTheOffendingCharacter(String expression, int position, String reason) {
    var e = failure(Map.of("c", expression));
    assertThat(e.position()).as(e.getMessage()).isEqualTo(position);
    assertThat(e.reason()).contains(reason);
    assertThat(e.expression()).isEqualTo(expression);
    // The standalone check reports exactly the same error without a state.
    assertThat(CaptureSyntax.check("c", expression)).get().hasToString(e.toString());
    assertThat(CaptureSyntax.check(expression))
        .get()
        .extracting(CaptureException::position)
        .isEqualTo(position);
  }

  @Test
  void validExpressionsPassTheSyntaxCheck() {
    assertThat(CaptureSyntax.check("routes.running.destination==\"0.0.0.0/0\"")).isEmpty();
    assertThat(
            CaptureSyntax.check(
                "interfaces.name==capture.default-gw.routes.running.0.next-hop-interface"))
        .isEmpty();
    assertThat(
            CaptureSyntax.check(
                "capture.base-iface-routes | routes.running.next-hop-interface := \"br1\""))
        .isEmpty();
    assertThat(CaptureSyntax.check("interfaces.mtu := 1500")).isEmpty();
    assertThat(CaptureSyntax.check("interfaces.lldp.enabled := null")).isEmpty();
    assertThat(CaptureSyntax.check("ovs-db.external_ids")).isEmpty();
    // A reference to an unknown capture is only found when evaluating.
    assertThat(CaptureSyntax.check("interfaces.name == capture.nope.interfaces.0.name")).isEmpty();
  }

  @Test
  void indexInAFilterOrReplacePathIsRejectedAtTheIndex() {
    var filter = failure(Map.of("c", "interfaces.0.name == \"eth0\""));
    assertThat(filter.position()).isEqualTo(11);
    assertThat(filter.reason()).contains("index steps are not supported when filtering");
    var replace = failure(Map.of("c", "interfaces.0.mtu := 1"));
    assertThat(replace.position()).isEqualTo(11);
    assertThat(replace.reason()).contains("index steps are not supported when replacing");
  }

  @Test
  void referenceToAnUnknownCapturePointsAtItsName() {
    var e = failure(Map.of("base", "interfaces.name == capture.nope.interfaces.0.name"));
    assertThat(e.getMessage())
        .isEqualTo(
            """
            capture base: reference to unknown capture 'nope'; known captures: [base]
            | interfaces.name == capture.nope.interfaces.0.name
            | ...........................^""");
  }

  @Test
  void cyclesAreReportedWithTheLoop() {
    var e =
        failure(
            Map.of(
                "a", "capture.b | interfaces.name",
                "b", "interfaces.name == capture.c.interfaces.0.name",
                "c", "capture.a.interfaces.state == \"up\""));
    assertThat(e.subject()).isEqualTo("capture c");
    assertThat(e.reason()).isEqualTo("circular capture reference: a -> b -> c -> a");
    assertThat(e.position()).isEqualTo(8);

    var self = failure(Map.of("me", "capture.me | interfaces.name"));
    assertThat(self.reason()).isEqualTo("circular capture reference: me -> me");
  }

  @Test
  void pathNotFoundInAReferencedCapture() {
    var outOfRange =
        failure(
            Map.of(
                "gw", "routes.running.destination==\"0.0.0.0/0\"",
                "nic", "interfaces.name == capture.gw.routes.running.3.next-hop-interface"));
    assertThat(outOfRange.subject()).isEqualTo("capture nic");
    assertThat(outOfRange.position()).isEqualTo(45);
    assertThat(outOfRange.reason()).contains("index 3 is out of range, the list has 1 element");

    var noMatch =
        failure(
            Map.of(
                "gw", "routes.running.destination==\"192.0.2.0/24\"",
                "nic", "interfaces.name == capture.gw.routes.running.0.next-hop-interface"));
    assertThat(noMatch.position()).isEqualTo(30);
    assertThat(noMatch.reason()).isEqualTo("path not found: no 'routes' here");

    var listWithoutIndex =
        failure(
            Map.of(
                "gw", "routes.running.destination==\"0.0.0.0/0\"",
                "nic", "interfaces.name == capture.gw.routes.running.next-hop-interface"));
    assertThat(listWithoutIndex.position()).isEqualTo(45);
    assertThat(listWithoutIndex.reason()).contains("use an index");
  }

  @Test
  void errorInAReferencedCaptureIsReportedOnThatCapture() {
    var e =
        failure(
            Map.of(
                "a", "interfaces.name == capture.b.interfaces.0.name",
                "b", "interfaces.mtu == \"1500\""));
    assertThat(e.subject()).isEqualTo("capture b");
    assertThat(e.position()).isEqualTo(18);
    assertThat(e.reason())
        .startsWith("type mismatch: 'mtu' is a number (1500) but is compared with a string");
  }

  @Test
  void steppingIntoAScalarIsAnError() {
    var e = failure(Map.of("c", "interfaces.name.first == \"e\""));
    assertThat(e.position()).isEqualTo(16);
    assertThat(e.reason()).contains("cannot filter a string");
  }

  @Test
  void mergeConflictsPointAtTheRightOperand() {
    var kinds =
        failure(
            Map.of(
                "gw", "routes.running.destination==\"0.0.0.0/0\"",
                "r", "capture.gw | routes.running := \"gone\"",
                "m", "capture.gw.routes.running + capture.r.routes.running"));
    assertThat(kinds.getMessage())
        .isEqualTo(
            """
            capture m: cannot merge a list with a string at 'running'
            | capture.gw.routes.running + capture.r.routes.running
            | ............................^""");

    var scalars =
        failure(
            Map.of(
                "e0", "interfaces.name == \"eth0\"",
                "e2", "interfaces.name == \"eth2\"",
                "m", "capture.e0.interfaces.0.ipv4 + capture.e2.interfaces.0.ipv4"));
    assertThat(scalars.position()).isEqualTo(31);
    assertThat(scalars.reason())
        .isEqualTo("cannot merge different values at 'ipv4.dhcp': true and false");

    var missing =
        failure(
            Map.of(
                "gw", "routes.running.destination==\"0.0.0.0/0\"",
                "m", "capture.gw.routes.running + capture.gw.routes.config"));
    assertThat(missing.reason()).contains("same name");
  }

  @Test
  void mergeReferencesAreCheckedForUnknownCapturesAndCycles() {
    var unknown = Map.of("m", "capture.m.routes.running + capture.nope.routes.running");
    assertThat(CaptureSyntax.checkAll(unknown)).get().hasToString(failure(unknown).toString());
    assertThat(failure(unknown).reason()).isEqualTo("circular capture reference: m -> m");

    var later =
        Map.of("gw", "routes.running", "m", "capture.gw.routes.running + capture.x.a.running");
    assertThat(failure(later).reason()).startsWith("reference to unknown capture 'x'");
    assertThat(failure(later).position()).isEqualTo(36);
    assertThat(CaptureSyntax.checkAll(later)).get().hasToString(failure(later).toString());
  }

  @Test
  void checkAllFindsUnknownReferencesAndCyclesWithoutAState() {
    var cycle =
        Map.of(
            "a", "capture.b | interfaces.name",
            "b", "interfaces.name == capture.c.interfaces.0.name",
            "c", "capture.a.interfaces.state == \"up\"");
    assertThat(CaptureSyntax.checkAll(cycle)).get().hasToString(failure(cycle).toString());

    var unknown = Map.of("base", "interfaces.name == capture.nope.interfaces.0.name");
    assertThat(CaptureSyntax.checkAll(unknown)).get().hasToString(failure(unknown).toString());

    var syntax = Map.of("ok", "interfaces.name", "bad", "interfaces.name != \"x\"");
    assertThat(CaptureSyntax.checkAll(syntax)).get().hasToString(failure(syntax).toString());

    assertThat(
            CaptureSyntax.checkAll(
                Map.of(
                    "default-gw", "routes.running.destination==\"0.0.0.0/0\"",
                    "base-iface",
                        "interfaces.name==capture.default-gw.routes.running.0.next-hop-interface",
                    "routes", "capture.default-gw | routes.running.next-hop-interface := \"br1\"")))
        .isEmpty();
  }
}
