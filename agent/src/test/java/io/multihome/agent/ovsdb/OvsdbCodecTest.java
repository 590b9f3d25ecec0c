package io.multihome.agent.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RFC 7047 values, operations, typed rows and error messages, without a server. */
class OvsdbCodecTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void encodesAtomsSetsAndMaps() {
    assertThat(Datum.uuid("a-b").toString()).isEqualTo("[\"uuid\",\"a-b\"]");
    assertThat(Datum.namedUuid("p0").toString()).isEqualTo("[\"named-uuid\",\"p0\"]");
    assertThat(Datum.empty().toString()).isEqualTo("[\"set\",[]]");
    assertThat(Datum.set(List.of(10L, 20L)).toString()).isEqualTo("[\"set\",[10,20]]");
    assertThat(Datum.optional(null).toString()).isEqualTo("[\"set\",[]]");
    assertThat(Datum.optional("secure").toString()).isEqualTo("\"secure\"");
    var m = new LinkedHashMap<String, String>();
    m.put("z", "1");
    m.put("a", "2");
    assertThat(Datum.map(m).toString()).isEqualTo("[\"map\",[[\"a\",\"2\"],[\"z\",\"1\"]]]");
    assertThatThrownBy(() -> Datum.atom(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decodesEveryFormTheServerSends() throws Exception {
    // A one-element set comes back as its bare atom, an empty optional as the empty set.
    assertThat(Datum.uuids(json("[\"uuid\",\"u1\"]"))).containsExactly("u1");
    assertThat(Datum.uuids(json("[\"set\",[[\"uuid\",\"u1\"],[\"uuid\",\"u2\"]]]")))
        .containsExactly("u1", "u2");
    assertThat(Datum.uuids(json("[\"set\",[]]"))).isEmpty();
    assertThat(Datum.optionalLong(json("[\"set\",[]]"))).isNull();
    assertThat(Datum.optionalLong(json("7"))).isEqualTo(7L);
    assertThat(Datum.longs(json("[\"set\",[3,4]]"))).containsExactly(3L, 4L);
    assertThat(Datum.stringMap(json("[\"map\",[[\"peer\",\"p1\"]]]"))).containsEntry("peer", "p1");
    assertThat(Datum.stringMap(json("[\"map\",[]]"))).isEmpty();
    assertThat(Datum.bool(json("true"))).isTrue();
    assertThatThrownBy(() -> Datum.stringMap(json("[\"set\",[1]]")))
        .hasMessageContaining("not an OVSDB map");
    assertThatThrownBy(() -> Datum.optionalLong(json("\"x\"")))
        .hasMessageContaining("not an OVSDB integer");
  }

  @Test
  void operationsHaveTheRfcShape() throws Exception {
    var tx = Transaction.openVswitch();
    tx.insert("Interface", Map.of("name", Datum.atom("p0")), "i0");
    tx.mutate("Open_vSwitch", Where.uuid("r"), Mutation.add("next_cfg", 1));
    tx.check("Bridge", Where.name("br0"), Map.of("ports", Datum.set(List.of())));
    tx.select("Bridge", List.of(), List.of("name"));
    assertThat(json(tx.toString()))
        .isEqualTo(
            json(
                """
                ["Open_vSwitch",
                 {"op":"insert","table":"Interface","row":{"name":"p0"},"uuid-name":"i0"},
                 {"op":"mutate","table":"Open_vSwitch","where":[["_uuid","==",["uuid","r"]]],
                  "mutations":[["next_cfg","+=",1]]},
                 {"op":"wait","table":"Bridge","timeout":0,"where":[["name","==","br0"]],
                  "columns":["ports"],"until":"==","rows":[{"ports":["set",[]]}]},
                 {"op":"select","table":"Bridge","where":[],"columns":["name"]}]
                """));
  }

  @Test
  void errorsNameTableRowAndColumn() {
    var wait =
        OvsdbException.ofOperation(
            0,
            new TxOp.Wait(
                "Bridge",
                List.of(Where.name("br0")),
                List.of("ports"),
                true,
                List.of(Map.of("ports", Datum.empty())),
                0),
            "timed out",
            null);
    assertThat(wait.getMessage())
        .isEqualTo(
            "OVSDB wait #0 on table Bridge, name == \"br0\", column ports: timed out: the row"
                + " changed since it was read");
    assertThat(wait.table()).isEqualTo("Bridge");
    assertThat(wait.column()).isEqualTo("ports");

    var update =
        OvsdbException.ofOperation(
            2,
            new TxOp.Update(
                "Bridge",
                List.of(Where.name("br0")),
                Map.of("fail_mode", Datum.atom("bogus"), "stp_enable", Datum.atom(true))),
            "constraint violation",
            "\"bogus\" is not one of the allowed values ([secure, standalone])");
    assertThat(update.getMessage())
        .startsWith("OVSDB update #2 on table Bridge, name == \"br0\"")
        .contains("constraint violation")
        .contains("bogus");
    var commit =
        OvsdbException.ofCommit(
            "referential integrity violation",
            "Table Port column interfaces row 1234 references nonexistent row 5678 in table"
                + " Interface.");
    assertThat(commit.table()).isEqualTo("Port");
    assertThat(commit.column()).isEqualTo("interfaces");
    assertThat(commit.getMessage()).startsWith("OVSDB commit failed: referential integrity");
  }

  @Test
  void typedRowsReadSelectOutput() throws Exception {
    var bridge =
        BridgeRow.from(
            json(
                """
                {"_uuid":["uuid","b1"],"name":"br0","ports":["set",[["uuid","p1"],["uuid","p2"]]],
                 "stp_enable":false,"rstp_enable":true,"mcast_snooping_enable":false,
                 "fail_mode":["set",[]],"datapath_type":"netdev",
                 "external_ids":["map",[["owner","mh"]]],"other_config":["map",[]]}
                """));
    assertThat(bridge.ports()).containsExactly("p1", "p2");
    assertThat(bridge.failMode()).isNull();
    assertThat(bridge.rstpEnable()).isTrue();
    assertThat(bridge.externalIds()).containsEntry("owner", "mh");
    var port =
        PortRow.from(
            json(
                """
                {"_uuid":["uuid","p1"],"name":"v1","interfaces":["uuid","i1"],"vlan_mode":"access",
                 "tag":10,"trunks":["set",[]],"bond_mode":["set",[]],"bond_updelay":0,
                 "bond_downdelay":0,"lacp":["set",[]],"external_ids":["map",[]],
                 "other_config":["map",[]]}
                """));
    assertThat(port.tag()).isEqualTo(10L);
    assertThat(port.interfaces()).containsExactly("i1");
    assertThatThrownBy(
            () ->
                InterfaceRow.from(
                    json("{\"_uuid\":[\"uuid\",\"i9\"],\"name\":\"p9\",\"options\":5}")))
        .isInstanceOf(OvsdbException.class)
        .hasMessageContaining("table Interface, row p9, column options");
  }
}
