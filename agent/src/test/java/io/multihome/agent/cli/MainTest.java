package io.multihome.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {

  @Test
  void unknownSubcommandIsAUsageErrorWithExitCode2() {
    assertThat(Main.run("no-such-command")).isEqualTo(2);
  }

  @Test
  void helpExitsZero() {
    assertThat(Main.run("--help")).isZero();
  }
}
