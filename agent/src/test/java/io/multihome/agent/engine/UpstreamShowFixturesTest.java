package io.multihome.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.state.Problem;
import io.multihome.state.StateParser;
import io.multihome.state.StateValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * nmstate's own show outputs (its unit-test fixtures and {@code examples/policy/.../current.yml},
 * kept under {@code upstream/nmstate-show/}) are states a node reports: they parse and validate
 * (against a node that has their interfaces), except for what multihome does not support. The
 * exceptions are listed here by file and first problem, so a change in either direction shows.
 */
class UpstreamShowFixturesTest {

  @Test
  void nmstateShowOutputsValidate() throws Exception {
    var refused = new TreeMap<String, String>();
    int files = 0;
    try (var list = Files.list(Upstream.ROOT.resolve("nmstate-show"))) {
      for (var f : list.map(Path::getFileName).map(Path::toString).sorted().toList()) {
        files++;
        var parsed = StateParser.parse(Upstream.tree("nmstate-show/" + f));
        var problems = new ArrayList<Problem>(parsed.problems());
        if (problems.isEmpty()) {
          problems.addAll(StateValidator.validate(parsed.state(), name -> true));
        }
        if (!problems.isEmpty()) {
          refused.put(f, problems.get(0).toString());
        }
      }
    }
    refused.forEach((f, why) -> System.out.println(f + ": " + why));
    assertThat(files).isEqualTo(40);
    // Open vSwitch, ovs-db, ovn and VRF are supported: only one file stops, first at
    // NetworkManager's wait-ip (its profile-names, other than the interface names without an
    // identifier, would be refused next).
    assertThat(refused).containsOnlyKeys("gen_revert_test_files-change_global_ovsdb.yml");
    assertThat(refused.get("gen_revert_test_files-change_global_ovsdb.yml")).contains("wait-ip");
  }
}
