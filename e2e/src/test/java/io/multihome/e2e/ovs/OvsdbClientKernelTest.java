package io.multihome.e2e.ovs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.agent.ovsdb.BridgeRow;
import io.multihome.agent.ovsdb.Datum;
import io.multihome.agent.ovsdb.Mutation;
import io.multihome.agent.ovsdb.OvsdbClient;
import io.multihome.agent.ovsdb.OvsdbException;
import io.multihome.agent.ovsdb.SwitchState;
import io.multihome.agent.ovsdb.Transaction;
import io.multihome.agent.ovsdb.Vswitchd;
import io.multihome.agent.ovsdb.Where;
import io.multihome.kernelvm.KernelFeature;
import io.multihome.kernelvm.TestNetns;
import io.multihome.lab.LabOvs;
import io.multihome.testkit.KernelTier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OVSDB client against a real {@code ovsdb-server} (Debian's Open vSwitch) started in a temp
 * directory, and against a real {@code ovs-vswitchd} in a throwaway namespace with the userspace
 * datapath (this kernel has no openvswitch module; the kernel-VM tier has it).
 */
class OvsdbClientKernelTest {
  @TempDir Path tmp;

  @BeforeEach
  void requireOvs() {
    KernelTier.require(LabOvs.missing() == null, LabOvs.missing());
  }

  /** Inserts bridge {@code name} with one internal port of the same name, as ovs-vsctl add-br. */
  static Transaction addBridge(String rootUuid, String name, String datapath) {
    var tx = Transaction.openVswitch();
    tx.insert("Interface", Map.of("name", Datum.atom(name), "type", Datum.atom("internal")), "i");
    tx.insert("Port", Map.of("name", Datum.atom(name), "interfaces", Datum.namedUuid("i")), "p");
    tx.insert(
        "Bridge",
        Map.of(
            "name", Datum.atom(name),
            "ports", Datum.namedUuid("p"),
            "datapath_type", Datum.atom(datapath)),
        "b");
    tx.mutate(
        "Open_vSwitch",
        Where.uuid(rootUuid),
        Mutation.insert("bridges", Datum.set(List.of(Datum.namedUuid("b")))));
    return tx;
  }

  @Test
  void transactsWithNamedUuidsAndReadsTypedRows() {
    try (var ovs = LabOvs.startDatabase(tmp.resolve("ovs"));
        var c = OvsdbClient.connect(ovs.socket())) {
      assertThat(c.listDbs()).contains("Open_vSwitch");
      var payload = Datum.set(List.of("ping"));
      assertThat(c.echo(payload)).isEqualTo(payload);
      var before = SwitchState.read(c);
      assertThat(before.bridgeList()).isEmpty();

      c.transact(addBridge(before.root().uuid(), "br0", "netdev"));

      var after = SwitchState.read(c);
      var br = after.bridge("br0");
      assertThat(br.datapathType()).isEqualTo("netdev");
      assertThat(after.portsOf(br)).extracting(p -> p.name()).containsExactly("br0");
      var iface = after.interfacesOf(after.portsOf(br).get(0)).get(0);
      assertThat(iface.type()).isEqualTo("internal");
      // ovs-vsctl sees the same database.
      assertThat(ovs.vsctl("list-br")).isEqualTo("br0\n");
      assertThat(ovs.vsctl("get", "Bridge", "br0", "datapath_type").strip()).isEqualTo("netdev");
    }
  }

  @Test
  void aFailedCheckCommitsNothingAndNamesTableRowAndColumn() {
    try (var ovs = LabOvs.startDatabase(tmp.resolve("ovs"));
        var c = OvsdbClient.connect(ovs.socket())) {
      var root = SwitchState.read(c).root().uuid();
      c.transact(addBridge(root, "br0", "netdev"));
      var dump = ovs.vsctl("--format=json", "list", "Bridge");

      // Optimistic check: br0 had no ports when "read", so the insert must not happen.
      var tx = addBridge(root, "br1", "netdev");
      tx.check("Bridge", Where.name("br0"), Map.of("ports", Datum.empty()));
      assertThatThrownBy(() -> c.transact(tx))
          .isInstanceOfSatisfying(
              OvsdbException.class,
              e -> {
                assertThat(e.error()).isEqualTo("timed out");
                assertThat(e.table()).isEqualTo("Bridge");
                assertThat(e.row()).isEqualTo("name == \"br0\"");
                assertThat(e.column()).isEqualTo("ports");
              })
          .hasMessageContaining("the row changed since it was read");
      assertThat(ovs.vsctl("--format=json", "list", "Bridge")).isEqualTo(dump);

      // A bad value: the server's constraint error, the op's table and row named.
      var bad = Transaction.openVswitch();
      bad.update("Bridge", Where.name("br0"), Map.of("fail_mode", Datum.atom("bogus")));
      assertThatThrownBy(() -> c.transact(bad))
          .isInstanceOf(OvsdbException.class)
          .hasMessageContaining("table Bridge, name == \"br0\", column fail_mode")
          .hasMessageContaining("constraint violation");
      assertThat(ovs.vsctl("--format=json", "list", "Bridge")).isEqualTo(dump);

      // A reference to a row that does not exist: the commit fails, naming table and column.
      var dangling = Transaction.openVswitch();
      dangling.update(
          "Bridge",
          Where.name("br0"),
          Map.of("ports", Datum.set(List.of(Datum.uuid("00000000-0000-0000-0000-000000000001")))));
      assertThatThrownBy(() -> c.transact(dangling))
          .isInstanceOfSatisfying(
              OvsdbException.class,
              e -> {
                assertThat(e.table()).isEqualTo("Bridge");
                assertThat(e.column()).isEqualTo("ports");
              });
      assertThat(ovs.vsctl("--format=json", "list", "Bridge")).isEqualTo(dump);
    }
  }

  @Test
  void monitorDeliversChangesMadeByAnotherClient() {
    try (var ovs = LabOvs.startDatabase(tmp.resolve("ovs"));
        var c = OvsdbClient.connect(ovs.socket())) {
      var updates = new CopyOnWriteArrayList<JsonNode>();
      try (var m = c.monitor("Open_vSwitch", Map.of("Bridge", List.of("name")), updates::add)) {
        assertThat(m.initial().path("Bridge").size()).isZero();
        ovs.vsctl("--no-wait", "add-br", "br7");
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThat(updates)
                        .anySatisfy(
                            u ->
                                assertThat(
                                        u.path("Bridge").elements().next().at("/new/name").asText())
                                    .isEqualTo("br7")));
      }
      // monitor_cancel left the connection usable.
      assertThat(SwitchState.read(c).bridge("br7")).isNotNull();
    }
  }

  @Test
  void aWatchStartedBeforeTheServerSeesItComeAndSeesEveryChange() {
    var changes = new java.util.concurrent.atomic.AtomicInteger();
    var dir = tmp.resolve("ovs");
    try (var watch =
        io.multihome.agent.ovsdb.OvsdbWatch.start(
            dir.resolve("db.sock"), changes::incrementAndGet, Duration.ofMillis(100))) {
      try (var ovs = LabOvs.startDatabase(dir)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> changes.get() >= 1);
        int before = changes.get();
        ovs.vsctl("--no-wait", "add-br", "br9");
        await().atMost(Duration.ofSeconds(10)).until(() -> changes.get() > before);
      }
    }
  }

  @Test
  void waitingForVswitchdTimesOutWhenNoneRuns() {
    try (var ovs = LabOvs.startDatabase(tmp.resolve("ovs"));
        var c = OvsdbClient.connect(ovs.socket())) {
      var root = SwitchState.read(c).root().uuid();
      var tx = Transaction.openVswitch();
      int at = Vswitchd.bumpNextCfg(tx, root);
      long next = Vswitchd.nextCfg(c.transact(tx), at);
      assertThatThrownBy(() -> Vswitchd.awaitApplied(c, next, Duration.ofMillis(500)))
          .isInstanceOf(OvsdbException.class)
          .hasMessageContaining("ovs-vswitchd did not apply the change")
          .hasMessageContaining("next_cfg " + next);
    }
  }

  @Test
  void vswitchdCreatesTheInternalPortInItsNamespaceOnceTheChangeIsApplied() {
    KernelFeature.require();
    try (var ns = TestNetns.create("mh-ovc-");
        var ovs = LabOvs.start(tmp.resolve("ovs"), ns.name());
        var c = OvsdbClient.connect(ovs.socket())) {
      var root = SwitchState.read(c).root().uuid();
      var tx = addBridge(root, "br0", LabOvs.datapath());
      int at = Vswitchd.bumpNextCfg(tx, root);
      long next = Vswitchd.nextCfg(c.transact(tx), at);
      Vswitchd.awaitApplied(c, next, Duration.ofSeconds(20));
      // Applied means the device exists now: no waiting needed.
      assertThat(ns.hasLink("br0")).as(ovs.vswitchdLog(20)).isTrue();
      BridgeRow br = SwitchState.read(c).bridge("br0");
      assertThat(br).isNotNull();
      assertThat(Files.exists(ovs.dir().resolve("br0.mgmt"))).as("rundir is private").isTrue();
    }
  }
}
