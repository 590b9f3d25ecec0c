package io.multihome.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class AgentCommandTest {

  @Test
  void helpListsTheOptions() {
    var out = new StringWriter();
    int rc = Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "agent", "--help");
    assertThat(rc).isZero();
    assertThat(out.toString())
        .contains("--node", "--netns", "--state-dir", "--namespace", "--port", "--probe-timeout")
        .contains("/var/lib/multihome", "multihome", "8089");
  }

  @Test
  void aNodeNameIsRequired() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        System.getenv("NODE_NAME") == null, "NODE_NAME is set in this environment");
    var err = new StringWriter();
    int rc = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "agent");
    assertThat(rc).isNotZero();
    assertThat(err.toString()).contains("--node");
  }
}
