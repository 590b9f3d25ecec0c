package io.multihome.agent.engine;

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
    assertThatThrownBy(() -> Planner.plan(state("interfaces: [{name: c1, type: ipsec}]"), empty()))
        .isInstanceOfSatisfying(
            PlanException.class,
            e ->
                assertThat(e.problems())
                    .extracting(Problem::path)
                    .contains("interfaces[0].libreswan"));
  }
}
