package io.multihome.e2e.ovs;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.agent.engine.ApplyOptions;
import io.multihome.agent.engine.ApplyResult;
import io.multihome.agent.engine.EngineHooks;
import io.multihome.agent.engine.Op;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Failures leave Open vSwitch as it was: a transaction OVSDB rejects commits nothing; a failure
 * after the commit is undone by one restoring transaction (rows recreated by name, internal ports'
 * devices and their addresses back); a row changed behind the plan's back fails the optimistic
 * check instead of being overwritten.
 */
@Tag("kernel-vm")
class OvsRollbackKernelTest extends OvsEngineTestBase {
  @Override
  int nics() {
    return 2;
  }

  static final String BASE =
      """
      interfaces:
      - name: ovs0
        type: ovs-interface
        ipv4: {enabled: true, address: [{ip: 198.18.13.1, prefix-length: 24}]}
      - name: br0
        type: ovs-bridge
        ovs-db: {external_ids: {owner: base}}
        bridge:
          options: {datapath: %s, stp: false}
          port: [{name: eth1, vlan: {mode: access, tag: 5}}, {name: ovs0}]
      ovs-db:
        external_ids: {site: lab}
      ovn:
        bridge-mappings: [{localnet: physnet, bridge: br0}]
      """
          .formatted(DP);

  /** Changes every kind of row: bridge options, a port's VLAN, new bridge, root maps, removal. */
  static final String CHANGE =
      """
      interfaces:
      - name: ovs0
        type: ovs-interface
        state: absent
      - name: ovs1
        type: ovs-interface
        mtu: 1400
        ipv4: {enabled: true, address: [{ip: 198.18.14.1, prefix-length: 24}]}
      - name: br0
        type: ovs-bridge
        ovs-db: {external_ids: {owner: change}}
        bridge:
          options: {stp: true, mcast-snooping-enable: true}
          port: [{name: eth1, vlan: {mode: access, tag: 6}}, {name: eth2}]
      - name: br1
        type: ovs-bridge
        bridge:
          options: {datapath: %s}
          port: [{name: ovs1}]
      ovs-db:
        external_ids: {site: null, zone: z1}
      ovn:
        bridge-mappings: [{localnet: physnet, state: absent}, {localnet: blue, bridge: br1}]
      """
          .formatted(DP);

  /** Runs after the node is up ({@link OvsEngineTestBase#startNode}). */
  @BeforeEach
  void applyBase() throws Exception {
    mustApply(BASE);
  }

  @Test
  void aTransactionOvsdbRejectsCommitsNothing() throws Exception {
    var ovsdb = node.dump();
    var kernel = node.kernel();
    // Passes the parser (validation would refuse it first): OVSDB's own constraint refuses it.
    var bad = OvsNode.state(CHANGE.replace("mcast-snooping-enable: true", "fail-mode: closed"));
    var r = engine.apply(bad, ApplyOptions.defaults());
    assertThat(r).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(((ApplyResult.RolledBack) r).reason())
        .contains("table Bridge")
        .contains("fail_mode")
        .contains("constraint violation");
    assertThat(node.dump()).isEqualTo(ovsdb);
    assertThat(node.ns.ip("-br", "addr", "show", "dev", "ovs0").stdout())
        .contains("198.18.13.1/24");
    assertThat(node.ns.hasLink("ovs1")).isFalse();
    assertThat(node.kernel()).isEqualTo(kernel);
  }

  @Test
  void aFailureAfterTheCommitIsUndoneByOneRestoringTransaction() throws Exception {
    var ovsdb = node.dump();
    var before = node.ns.ip("-br", "addr", "show", "dev", "ovs0").stdout();
    var hooks =
        new EngineHooks() {
          @Override
          public void afterApply(io.multihome.agent.engine.Target target) {
            throw new IllegalStateException("injected after the commit");
          }
        };
    var r = engine.apply(OvsNode.state(CHANGE), ApplyOptions.defaults().withHooks(hooks));
    assertThat(r).as(r::toString).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(node.dump()).isEqualTo(ovsdb);
    // The internal port the change removed is back, with its address.
    assertThat(node.ns.ip("-br", "addr", "show", "dev", "ovs0").stdout()).isEqualTo(before);
    assertThat(node.ns.hasLink("ovs1")).isFalse();
    assertThat(
            node.ovs.vsctl("get", "Open_vSwitch", ".", "external_ids:ovn-bridge-mappings").strip())
        .isEqualTo("\"physnet:br0\"");
    assertThat(engine.plan(OvsNode.state(BASE)).isEmpty()).isTrue();
  }

  @Test
  void aRowChangedBehindThePlansBackFailsTheCheckAndIsNotOverwritten() throws Exception {
    var hooks =
        new EngineHooks() {
          @Override
          public void beforeOp(int position, Op op) {
            if (op.describe().startsWith("ovsdb transaction")) {
              // Someone else edits br0's ports between plan and commit.
              node.ovs.vsctl("--no-wait", "add-port", "br0", "eth2-p");
            }
          }
        };
    var r = engine.apply(OvsNode.state(CHANGE), ApplyOptions.defaults().withHooks(hooks));
    assertThat(r).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(((ApplyResult.RolledBack) r).reason())
        .contains("wait")
        .contains("table Bridge")
        .contains("the row changed since it was read");
    // Nothing of the plan was committed; the rollback put br0 back as checkpointed.
    assertThat(node.ovs.vsctl("get", "Bridge", "br0", "stp_enable").strip()).isEqualTo("false");
    assertThat(node.ovs.vsctl("list-br")).isEqualTo("br0\n");
  }

  @Test
  void anInterfaceOvsCannotOpenFailsTheApplyAndIsRolledBack() throws Exception {
    var ovsdb = node.dump();
    var hooks =
        new EngineHooks() {
          @Override
          public void beforeOp(int position, Op op) {
            if (op.describe().startsWith("ovsdb transaction")) {
              // The NIC vanishes between plan and commit: ovs-vswitchd cannot open it.
              node.ns.ip("link", "del", "eth2");
            }
          }
        };
    var r =
        engine.apply(
            OvsNode.state(
                """
                interfaces:
                - name: br0
                  type: ovs-bridge
                  bridge:
                    port: [{name: eth1}, {name: ovs0}, {name: eth2}]
                """),
            ApplyOptions.defaults().withHooks(hooks));
    assertThat(r).as(r::toString).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(((ApplyResult.RolledBack) r).reason())
        .contains("interfaces[eth2]: Open vSwitch: could not open network device eth2");
    assertThat(node.dump()).isEqualTo(ovsdb);
  }
}
