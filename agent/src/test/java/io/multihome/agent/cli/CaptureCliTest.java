package io.multihome.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.state.CurrentStates;
import io.multihome.state.Documents;
import io.multihome.state.StateWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captures in {@code validate} and in {@code apply}'s input (issue 19, deliverable 3), without a
 * kernel: {@code validate} with and without {@code --current}, and {@link StateInput} rendering
 * NNCPs and nmstate policy files against a given current state the way {@code apply} does with the
 * node's. {@code CaptureApplyKernelTest} runs the same through the engine in a namespace.
 */
class CaptureCliTest {
  static final Path EXAMPLE =
      Path.of("..", "docs", "examples", "capture-bridge-on-default-nic.yaml");
  static final Path NMSTATE =
      Path.of("..", "crds", "src", "test", "resources", "upstream", "nmstate-policy");

  /** A node as `multihome show` prints it: eth1 holds the default route. */
  static final String SHOWN =
      """
      interfaces:
      - name: eth1
        type: veth
        state: up
        mtu: 1500
        mac-address: 02:00:00:00:19:01
        ipv4:
          enabled: true
          address:
          - ip: 198.18.19.10
            prefix-length: 24
      - name: eth2
        type: veth
        state: up
        mtu: 1500
        mac-address: 02:00:00:00:19:02
      routes:
        config:
        - destination: 0.0.0.0/0
          next-hop-address: 198.18.19.1
          next-hop-interface: eth1
          metric: 0
          table-id: 254
      """;

  @TempDir Path dir;

  record Run(int code, String out) {
    List<String> lines() {
      return out.lines().toList();
    }
  }

  static Run run(String... args) {
    var out = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(out, true), args);
    return new Run(code, out.toString());
  }

  String write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text).toString();
  }

  @Test
  void validateWithoutAStateChecksWhatItCanAndSaysWhatItCouldNot() {
    var r = run("validate", EXAMPLE.toString());

    assertThat(r.code()).isZero();
    assertThat(r.lines())
        .containsExactly(
            EXAMPLE
                + ": spec.capture: not evaluated (no node state): the syntax, the references"
                + " between captures and the templates' capture names are checked; whether the"
                + " filters match, the referenced paths exist and the rendered values are valid"
                + " needs --current FILE ('multihome show' output) or 'multihome apply --dry-run'"
                + " on the node",
            EXAMPLE + ": valid");
  }

  @Test
  void validateReportsEveryBrokenCaptureWithItsPathAndACaret() throws IOException {
    var text =
        Files.readString(EXAMPLE)
            .replace("routes.running.destination==", "routes.running.destination=")
            .replace(
                "capture.base-iface-routes | routes.running.next-hop-interface:=\"br1\"",
                "capture.base-iface-routes | routes.running.next-hop-interface:=br1")
            .replace("capture.base-iface.interfaces.0.name", "capture.base-nic.interfaces.0.name");
    var file = write("broken.yaml", text);

    var r = run("validate", file);

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out())
        .contains(
            file
                + ": spec.capture.bridge-routes: expected a value (\"string\", number, true,"
                + " false, null or capture.<name>.<path>), found 'br1'; strings must be quoted\n"
                + "| capture.base-iface-routes | routes.running.next-hop-interface:=br1\n"
                + "| "
                + ".".repeat(63)
                + "^\n",
            file
                + ": spec.capture.default-gw: unexpected character '=': expected '=='\n"
                + "| routes.running.destination=\"0.0.0.0/0\"\n"
                + "| ..........................^\n",
            file
                + ": spec.desiredState.interfaces[0].bridge.port[0].name: reference to unknown"
                + " capture 'base-nic'; known captures: [");
    assertThat(r.out()).doesNotContain(": valid");
  }

  @Test
  void validateWithCurrentEvaluatesTheCapturesAndChecksTheRenderedState() throws IOException {
    var current = write("node.yaml", SHOWN);

    var r = run("validate", "--current", current, EXAMPLE.toString());

    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.lines())
        .containsExactly(
            EXAMPLE
                + ": captures base-iface, base-iface-routes, bridge-routes, bridge-routes-takeover,"
                + " default-gw, delete-base-iface-routes evaluated against "
                + current
                + "; the rendered state is valid",
            EXAMPLE + ": valid");
  }

  @Test
  void aCaptureThatFailsOnTheGivenStateNamesItsPathAndTheStep() throws IOException {
    // No default route: default-gw captures nothing, so the route it names does not exist.
    var current = write("node.yaml", SHOWN.substring(0, SHOWN.indexOf("routes:")));

    var r = run("validate", "--current", current, EXAMPLE.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.lines().get(0)).startsWith(EXAMPLE + ": spec.capture.base-iface: ");
    assertThat(r.lines().get(1))
        .isEqualTo("| interfaces.name==capture.default-gw.routes.running.0.next-hop-interface");
    assertThat(r.lines().get(2)).matches("\\| \\.+\\^");
  }

  @Test
  void aNodeNetworkStateManifestIsAcceptedAsCurrentAndBadFilesAreRefused() throws IOException {
    var indented = SHOWN.indent(4);
    var nns =
        write(
            "nns.yaml",
            "apiVersion: nmstate.io/v1beta1\nkind: NodeNetworkState\nmetadata: {name: node01}\n"
                + "status:\n  currentState:\n"
                + indented);
    var r = run("validate", "--current", nns, EXAMPLE.toString());
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).contains("evaluated against " + nns + " (status.currentState)");

    var two = write("two.yaml", "interfaces: []\n---\ninterfaces: []\n");
    var bad = run("validate", "--current", two, EXAMPLE.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.out()).isEqualTo(two + ": --current takes one state document, found 2\n");
  }

  @Test
  void validateTakesNmstatePolicyFilesWithTheirPathsFromTheFileRoot() throws IOException {
    var policy = NMSTATE.resolve("bridge-on-default-gw-no-dhcp").resolve("policy.yml").toString();
    var current = NMSTATE.resolve("bridge-on-default-gw-no-dhcp").resolve("current.yml").toString();

    assertThat(run("validate", policy).lines())
        .containsExactly(
            policy + ": capture: not evaluated (no node state)" + noteTail(), policy + ": valid");
    var evaluated = run("validate", "--current", current, policy);
    assertThat(evaluated.code()).as(evaluated.out()).isZero();
    assertThat(evaluated.out()).contains(": captures base-iface, base-iface-routes");

    var broken =
        write(
            "p.yaml",
            "capture:\n  gw: routes.running.destination==\"0.0.0.0/0\" |\n"
                + "desired:\n  interfaces: \"{{ capture.gw.interfaces }}\"\n");
    var r = run("validate", broken);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.lines().get(0))
        .isEqualTo(broken + ": capture.gw: unexpected '|': expected end of expression");
  }

  private static String noteTail() {
    return ": the syntax, the references between captures and the templates' capture names are"
        + " checked; whether the filters match, the referenced paths exist and the rendered values"
        + " are valid needs --current FILE ('multihome show' output) or 'multihome apply"
        + " --dry-run' on the node";
  }

  /** What apply reads: rendered against the node's state, asked once whatever the documents. */
  @Test
  void applyInputRendersCapturesAgainstTheNodeStateAskedOnce() throws IOException {
    var file = write("two.yaml", Files.readString(EXAMPLE) + "---\n" + Files.readString(EXAMPLE));
    var asked = new AtomicInteger();
    var problems = new ArrayList<String>();

    var docs =
        StateInput.read(
            List.of(file),
            Set.of("eth1", "eth2")::contains,
            () -> {
              asked.incrementAndGet();
              return new StateInput.Current(node(), "the current state of netns n1");
            },
            problems);

    assertThat(problems).isEmpty();
    assertThat(asked).hasValue(1);
    assertThat(docs).hasSize(2);
    var doc = docs.get(0);
    assertThat(doc.rendered().captures()).hasSize(6);
    assertThat(doc.rendered().source()).isEqualTo("the current state of netns n1");
    assertThat(StateWriter.toYaml(doc.state()))
        .contains("name: br1", "- name: eth1", "ip: 198.18.19.10", "next-hop-interface: br1")
        .doesNotContain("{{");
  }

  @Test
  void applyInputAsksForNoStateWhenNothingHasCapturesAndUsesAPolicyFilesOwnCurrent()
      throws IOException {
    var bare = write("bare.yaml", "interfaces: [{name: eth1, mtu: 1400}]\n");
    var withCurrent =
        write(
            "policy.yaml",
            "capture: {nic: interfaces.name==\"eth9\"}\n"
                + "desiredState:\n  interfaces:\n  - name: \"{{ capture.nic.interfaces.0.name }}\"\n"
                + "    mtu: 1400\n"
                + "current:\n  interfaces: [{name: eth9, type: veth}]\n");
    var problems = new ArrayList<String>();

    var docs =
        StateInput.read(
            List.of(bare, withCurrent),
            Set.of("eth1", "eth9")::contains,
            () -> {
              throw new AssertionError("the node's state was asked for");
            },
            problems);

    assertThat(problems).isEmpty();
    assertThat(docs.get(0).rendered()).isNull();
    assertThat(docs.get(1).rendered().source()).isEqualTo("the file's current state");
    assertThat(docs.get(1).state().interfaces().get(0).common().name()).isEqualTo("eth9");
  }

  @Test
  void applyInputReportsARenderedValueTheNodeRefusesWithItsTemplate() throws IOException {
    var file =
        write(
            "p.yaml",
            "capture: {nic: interfaces.name==\"eth1\"}\n"
                + "desiredState:\n  interfaces:\n  - name: br9\n    type: linux-bridge\n"
                + "    mtu: \"{{ capture.nic.interfaces.0.mac-address }}\"\n");
    var problems = new ArrayList<String>();

    var docs =
        StateInput.read(
            List.of(file),
            Set.of("eth1")::contains,
            () -> new StateInput.Current(node(), "n1"),
            problems);

    assertThat(docs).isNull();
    assertThat(problems)
        .singleElement()
        .asString()
        .startsWith(file + ": desiredState.interfaces[0].mtu: ")
        .endsWith("(rendered from \"{{ capture.nic.interfaces.0.mac-address }}\")");
  }

  static JsonNode node() {
    return CurrentStates.withRunning(Documents.read(SHOWN).documents().get(0));
  }
}
