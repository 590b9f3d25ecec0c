package io.multihome.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.state.StateParser;
import io.multihome.state.StateValidator;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * nmstate's own show outputs (its unit-test fixtures and policy current states, kept under
 * upstream/nmstate-show) are accepted by validation — what a state copied from a node looks like —
 * except those with kinds multihome refuses (Open vSwitch, VRF).
 */
class UpstreamShowFilesTest {

  @Test
  void nmstatesShowOutputsValidate() throws Exception {
    var refused = new TreeMap<String, String>();
    var files = new ArrayList<String>();
    try (var list = Files.list(Upstream.ROOT.resolve("nmstate-show"))) {
      list.map(p -> "nmstate-show/" + p.getFileName()).sorted().forEach(files::add);
    }
    for (var f : files) {
      var parsed = StateParser.parse(Upstream.tree(f));
      var problems = new ArrayList<>(parsed.problems());
      // A show output describes interfaces that exist on the node it came from.
      problems.addAll(StateValidator.validate(parsed.state(), name -> true));
      if (!problems.isEmpty()) {
        refused.put(f, problems.get(0).toString());
      }
    }
    assertThat(files).hasSize(40);
    assertThat(refused.values())
        .allMatch(
            p ->
                p.contains("Open vSwitch")
                    || p.contains("'vrf'")
                    || p.contains("ovs-db")
                    || p.contains("ovn"),
            "refused only for Open vSwitch or VRF: " + refused);
    assertThat(refused).hasSizeLessThanOrEqualTo(3);
  }
}
