package io.multihome.e2e.ovs;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.agent.cli.Main;
import io.multihome.kernelvm.KernelFeature;
import io.multihome.lab.LabOvs;
import io.multihome.testkit.KernelTier;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code multihome apply/show --ovsdb-socket} on a real switch: the dry run prints the plan in
 * ovs-vsctl words, apply exits 0, show prints the bridge, its ports and the OVN mapping.
 */
class OvsCliKernelTest {
  @TempDir Path dir;
  OvsNode node;

  @BeforeEach
  void start() {
    KernelFeature.require();
    KernelTier.require(LabOvs.missing() == null, LabOvs.missing());
    node = new OvsNode(dir, 1);
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  record Run(int code, String out, String err) {}

  Run cli(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void dryRunApplyAndShowThroughTheCommandLine() throws Exception {
    var policy = dir.resolve("ovs.yaml");
    Files.writeString(
        policy,
        """
        apiVersion: nmstate.io/v1
        kind: NodeNetworkConfigurationPolicy
        metadata: {name: ovs-br1}
        spec:
          desiredState:
            interfaces:
            - name: br1
              type: ovs-bridge
              bridge:
                options: {stp: false}
                port: [{name: eth1, vlan: {mode: access, tag: 7}}]
            ovn:
              bridge-mappings: [{localnet: physnet, bridge: br1}]
        """);
    var common =
        new String[] {
          "--netns", node.ns.name(),
          "--ovsdb-socket", node.ovs.socket().toString(),
          "--state-dir", dir.resolve("state").toString()
        };
    var dry = cli(concat(new String[] {"apply", "--dry-run"}, common, policy.toString()));
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out())
        .contains("ovs-vsctl add-br br1")
        .contains("add-port br1 eth1 vlan_mode=access tag=7")
        .contains("ovs-vsctl set open_vswitch . external_ids:ovn-bridge-mappings=\"physnet:br1\"")
        .contains("ovsdb transaction");
    assertThat(node.ovs.vsctl("list-br")).as("dry run changes nothing").isEmpty();

    var apply = cli(concat(new String[] {"apply"}, common, policy.toString()));
    assertThat(apply.code()).as(apply.out() + apply.err()).isZero();
    assertThat(node.ovs.vsctl("list-ports", "br1")).isEqualTo("eth1\n");

    var show = cli(concat(new String[] {"show"}, common));
    assertThat(show.code()).isZero();
    assertThat(show.out())
        .contains("type: ovs-bridge")
        .contains("controller: br1")
        .contains("localnet: physnet")
        .contains("tag: 7");

    var again = cli(concat(new String[] {"apply", "--dry-run"}, common, policy.toString()));
    assertThat(again.out()).doesNotContain("ovs-vsctl").doesNotContain("ovsdb transaction");
  }

  private static String[] concat(String[] a, String[] b, String... c) {
    var out = new String[a.length + b.length + c.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    System.arraycopy(c, 0, out, a.length + b.length, c.length);
    return out;
  }
}
