package io.multihome.agent.engine;

import static io.multihome.agent.engine.EngineAssertions.assertRefusedAt;
import static io.multihome.agent.engine.EngineAssertions.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multihome.state.Problem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ipsec: planned as the libreswan conn it stands for, never handed to the link planners. */
class IpsecPlannerTest {

  /** nmstate examples/ipsec_psk.yml (addresses only planned, never on the wire). */
  static final String PSK =
      "interfaces: [{name: hosta_conn, type: ipsec, ipv4: {enabled: true, dhcp: true},"
          + " libreswan: {right: 192.0.2.252, rightid: 'srv-id.example.org', left: 192.0.2.251,"
          + " leftid: 'cli-id.example.org', psk: psk_password, ikev2: insist}}]";

  private static Snapshot empty() {
    return new Snapshot(List.of(), List.of(), List.of(), List.of(), Map.of());
  }

  @Test
  void aPskConnectionIsRenderedWithTheKeyMaskedAndModeConfigForDhcp() throws Exception {
    var plan = Planner.plan(state(PSK), empty());
    assertThat(plan.ops()).hasSize(1);
    var c = (IpsecPlanner.Connect) plan.ops().get(0);
    assertThat(c.conn())
        .isEqualTo(
            "conn hosta_conn\n"
                + "\tright=192.0.2.252\n"
                + "\trightid=@srv-id.example.org\n"
                + "\tleft=192.0.2.251\n"
                + "\tleftid=@cli-id.example.org\n"
                + "\tikev2=insist\n"
                + "\tauthby=secret\n"
                + "\tleftmodecfgclient=yes\n"
                + "\t# PSK (secrets file): <_password_hid_by_nmstate>\n");
    assertThat(String.join("\n", plan.describe()))
        .contains("ipsec auto --add hosta_conn && ipsec auto --up hosta_conn (refused at apply")
        .doesNotContain("psk_password");
    assertThat(IpsecPlanner.refusals(plan, "X"))
        .containsExactly(new Problem("interfaces[0].type", "ipsec connections need X"));
    // No DHCP client, no link: the rest of the engine never saw it.
    assertThat(IpsecPlanner.withoutIpsec(state(PSK)).interfacesOrEmpty()).isEmpty();
  }

  @Test
  void absentConnectionsPlanNothingAndAMissingSectionIsNamed() throws Exception {
    assertThat(
            Planner.plan(state("interfaces: [{name: c1, type: ipsec, state: absent}]"), empty())
                .isEmpty())
        .isTrue();
    assertRefusedAt(() -> Planner.plan(state("interfaces: [{name: c1, type: ipsec}]"), empty()))
        .contains("interfaces[0].libreswan");
  }

  @Test
  void plainNameIdsBecomeFqdnIdentitiesAndTheRestStaysAsGiven() {
    assertThat(IpsecPlanner.id("srv.example.org")).isEqualTo("@srv.example.org");
    assertThat(IpsecPlanner.id("@srv.example.org")).isEqualTo("@srv.example.org");
    assertThat(IpsecPlanner.id("%fromcert")).isEqualTo("%fromcert");
    assertThat(IpsecPlanner.id("198.18.2.1")).isEqualTo("198.18.2.1");
    assertThat(IpsecPlanner.id("2001:db8::1")).isEqualTo("2001:db8::1");
    assertThat(IpsecPlanner.id("CN=hosta, O=Example")).isEqualTo("CN=hosta, O=Example");
  }

  /** The connections in effect, as a service would hold them (planning only reads them). */
  private record InEffect(Map<String, IpsecConnections.Connection> connections, String noCert)
      implements IpsecConnections {
    @Override
    public void configure(Map<String, Connection> changes) {
      throw new UnsupportedOperationException("planning never configures");
    }

    @Override
    public Map<String, String> await(java.util.Collection<String> names, java.time.Instant d) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, Status> status() {
      return Map.of();
    }

    @Override
    public String certificateProblem(String nickname) {
      return nickname.equals(noCert) ? "no certificate named " + nickname : null;
    }
  }

  @Test
  void withAServiceTheConnectionInEffectIsComparedAndAbsentDeletesIt() throws Exception {
    var desired = state(PSK);
    var none = new InEffect(Map.of(), null);
    var first = IpsecPlanner.withService(Planner.plan(desired, empty()), desired, none);
    assertThat(first.ops()).hasSize(1);
    var add = (IpsecPlanner.Configure) first.ops().get(0);
    assertThat(add.settings().modeConfig()).isTrue();
    assertThat(add.settings().libreswan().psk()).isEqualTo("psk_password");
    assertThat(add.describe())
        .startsWith("ipsec addconn hosta_conn && ipsec whack --initiate --name hosta_conn")
        .doesNotContain("psk_password");
    assertThat(IpsecPlanner.connecting(first))
        .containsExactly(Map.entry("hosta_conn", "interfaces[0]"));
    var previous = IpsecPlanner.previous(first);
    assertThat(previous).containsKey("hosta_conn");
    assertThat(previous.get("hosta_conn")).isNull();

    // In effect: nothing to do, also when the key is given as the placeholder.
    var inEffect = new InEffect(Map.of("hosta_conn", add.settings()), null);
    assertThat(
            IpsecPlanner.withService(Planner.plan(desired, empty()), desired, inEffect).isEmpty())
        .isTrue();
    var masked = state(PSK.replace("psk_password", IpsecPlanner.HIDDEN));
    assertThat(IpsecPlanner.withService(Planner.plan(masked, empty()), masked, inEffect).isEmpty())
        .isTrue();
    assertThatThrownBy(() -> IpsecPlanner.withService(Planner.plan(masked, empty()), masked, none))
        .isInstanceOfSatisfying(
            PlanException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        new Problem(
                            "interfaces[0].libreswan.psk",
                            "the placeholder keeps a key, but none is set")));

    var absent = state("interfaces: [{name: hosta_conn, type: ipsec, state: absent}]");
    var remove = IpsecPlanner.withService(Planner.plan(absent, empty()), absent, inEffect);
    assertThat(remove.ops()).hasSize(1);
    assertThat(remove.ops().get(0).describe()).isEqualTo("ipsec whack --delete --name hosta_conn");
    assertThat(IpsecPlanner.connecting(remove)).isEmpty();
  }

  @Test
  void aLeftcertMissingFromTheDatabaseIsRefusedAtItsPath() throws Exception {
    var x509 =
        state(
            "interfaces: [{name: c1, type: ipsec, libreswan: {right: 198.18.2.252, left:"
                + " 198.18.2.251, leftid: '%fromcert', leftcert: hosta.example.org}}]");
    assertThatThrownBy(
            () ->
                IpsecPlanner.withService(
                    Planner.plan(x509, empty()), x509, new InEffect(Map.of(), "hosta.example.org")))
        .isInstanceOfSatisfying(
            PlanException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        new Problem(
                            "interfaces[0].libreswan.leftcert",
                            "no certificate named hosta.example.org")));
  }
}
