package io.multihome.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.state.DesiredState;
import io.multihome.state.ModelFields;
import io.multihome.state.StateParser;
import io.multihome.state.StateWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every key the model accepts ({@link ModelFields#enumerate}, learnt from the parser) is either
 * covered by the engine ({@link FieldCoverage#DECLARED}: applied and compared with show, planned
 * and re-planned, checked, or ignored as nmstate ignores it) or refused at its path before anything
 * changes. A key added to the model lands in the second group until the engine declares it; this
 * test proves the refusal for each such key by giving it in a document.
 */
class FieldCoverageTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Values a key may hold, tried in order until the parser keeps one in the model. */
  private static final List<JsonNode> SAMPLES =
      List.of(
          NODES.numberNode(1),
          NODES.booleanNode(true),
          NODES.textNode("802.1q"),
          NODES.textNode("01:80:C2:00:00:00"),
          NODES.textNode("198.18.0.1"),
          NODES.textNode("full"),
          NODES.textNode("x"),
          NODES.arrayNode().add("x"),
          NODES.arrayNode().add(NODES.objectNode().put("name", "x")),
          NODES.objectNode().put("enabled", true));

  @Test
  void everyAcceptedKeyIsCoveredByTheEngineOrRefusedAtItsPath() {
    var refused = new TreeSet<String>();
    var unproven = new ArrayList<String>();
    for (var f : ModelFields.enumerate().values()) {
      if (f.shape() == ModelFields.Shape.OBJECT || f.category() == ModelFields.Category.ALIAS) {
        continue;
      }
      if (FieldCoverage.of(f.path()) != null) {
        continue;
      }
      if (refusedWhenGiven(f.path())) {
        refused.add(f.path());
      } else {
        unproven.add(f.path());
      }
    }
    System.out.println("keys the engine refuses (" + refused.size() + "): " + refused);
    assertThat(unproven).as("accepted keys neither covered nor refused").isEmpty();
    assertThat(refused)
        .as("a few keys known to be refused today")
        .contains("interfaces[].wait-ip", "interfaces[].dpdk")
        // Run by the supplicant service since issue 19's 802.1x/MKA work.
        .doesNotContain(
            "interfaces[].macsec.mka-cak",
            "interfaces[].macsec.mka-ckn",
            "interfaces[].802.1x.identity",
            "interfaces[].802.1x.password");
  }

  @Test
  void everyDeclaredKeyExistsInTheModel() {
    var model = ModelFields.enumerate();
    for (var path : FieldCoverage.DECLARED.keySet()) {
      var p = path.endsWith(".*") ? path.substring(0, path.length() - 2) : path;
      assertThat(model).as("declared key " + path).containsKey(p);
    }
  }

  @Test
  void anAliasIsCoveredAsItsCanonicalKey() {
    var doc =
        parse("interfaces: [{name: br0, type: linux-bridge, bridge: {ports: [{name: eth1}]}}]");
    assertThat(FieldCoverage.refusals(doc)).isEmpty();
  }

  @Test
  void removedInterfacesAreReadOnlyByName() {
    var doc = parse("interfaces: [{name: eth1, state: absent, vlan: {reorder-headers: true}}]");
    assertThat(FieldCoverage.refusals(doc)).isEmpty();
  }

  /** A document with the key at {@code path} (under an interface of each kind) is refused there. */
  private static boolean refusedWhenGiven(String path) {
    for (var sample : SAMPLES) {
      for (var type :
          List.of(
              "ethernet",
              "linux-bridge",
              "vlan",
              "mac-vlan",
              "mac-vtap",
              "bond",
              "vxlan",
              "veth",
              "ovs-bridge",
              "ovs-interface",
              "vrf",
              "ipvlan",
              "hsr",
              "macsec",
              "infiniband")) {
        var doc = NODES.objectNode();
        var iface = doc.putArray("interfaces").addObject().put("name", "x0").put("type", type);
        doc.putObject("routes").putArray("config").addObject().put("destination", "0.0.0.0/0");
        doc.putObject("route-rules").putArray("config").addObject().put("family", "ipv4");
        place(doc, iface, path, sample);
        var parsed = StateParser.parse(doc);
        var written = StateWriter.toTree(parsed.state());
        if (!has(written, path)) {
          continue;
        }
        var problems = FieldCoverage.refusals(parsed.state());
        if (problems.stream().anyMatch(p -> ModelFields.schemaPath(p.path()).equals(path))) {
          return true;
        }
      }
    }
    return false;
  }

  private static void place(ObjectNode doc, ObjectNode iface, String path, JsonNode value) {
    // "802.1x" is one key with a dot in it.
    var segs = path.replace("802.1x", "802\u0000").split("\\.");
    for (int i = 0; i < segs.length; i++) {
      segs[i] = segs[i].replace("802\u0000", "802.1x");
    }
    JsonNode at = doc;
    int start = 0;
    if (segs[0].equals("interfaces[]")) {
      at = iface;
      start = 1;
    }
    for (int i = start; i < segs.length; i++) {
      var seg = segs[i];
      boolean each = seg.endsWith("[]");
      var key = each ? seg.substring(0, seg.length() - 2) : seg;
      var obj = (ObjectNode) at;
      if (i == segs.length - 1) {
        obj.set(key, value);
        return;
      }
      if (each) {
        var arr = obj.get(key) != null && obj.get(key).isArray() ? obj.get(key) : obj.putArray(key);
        if (arr.isEmpty()) {
          ((com.fasterxml.jackson.databind.node.ArrayNode) arr).addObject();
        }
        at = arr.get(0);
      } else {
        at = obj.get(key) != null && obj.get(key).isObject() ? obj.get(key) : obj.putObject(key);
      }
    }
  }

  private static boolean has(JsonNode tree, String path) {
    var found = new boolean[1];
    ModelFields.walk(tree, (p, n) -> found[0] |= ModelFields.schemaPath(p).equals(path));
    return found[0];
  }

  private static DesiredState parse(String yaml) {
    try {
      var r = StateParser.parse(yaml);
      assertThat(r.problems()).isEmpty();
      return r.state();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  static Map<String, FieldCoverage.Handling> declared() {
    return FieldCoverage.DECLARED;
  }
}
