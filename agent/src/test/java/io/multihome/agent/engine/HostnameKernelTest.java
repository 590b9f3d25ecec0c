package io.multihome.agent.engine;

import static io.multihome.agent.engine.EngineAssertions.assertRefused;
import static io.multihome.agent.engine.EngineAssertions.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.state.StateWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code hostname} for a named network namespace: {@code config} is {@code
 * /etc/netns/NAME/hostname} (what {@code ip netns exec} shows as /etc/hostname), {@code running} is
 * refused unless the engine runs in a UTS namespace of its own — then it is set there, verified and
 * rolled back, and the machine's host name never changes.
 */
@Timeout(120)
class HostnameKernelTest extends EngineNetnsTestBase {

  private static String running() throws Exception {
    return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
  }

  @Test
  void theStaticHostNameOfANamespaceIsItsOwnFile() throws Exception {
    var file = Path.of("/etc/netns", ns.name, "hostname");
    var desired = state("hostname: {config: mh-static.example.org}");

    var result = engine.apply(desired, ApplyOptions.defaults());

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(Files.readString(file)).isEqualTo("mh-static.example.org\n");
    assertThat(ns.sh("cat", "/etc/hostname")).isEqualTo("mh-static.example.org\n");
    assertThat(StateWriter.toYaml(engine.show(n -> false)))
        .contains("config: mh-static.example.org", "running: " + running());
    assertThat(engine.plan(desired).isEmpty()).isTrue();

    // "" means no static name: the namespace gets an empty file, so it sees none.
    var none = state("hostname: {config: \"\"}");
    assertThat(engine.apply(none, ApplyOptions.defaults())).isInstanceOf(ApplyResult.Applied.class);
    assertThat(Files.readString(file)).isEmpty();
    assertThat(engine.plan(none).isEmpty()).isTrue();
  }

  @Test
  void aFailedApplyRemovesTheFileAndTheDirectoryItMade() throws Exception {
    var dir = Path.of("/etc/netns", ns.name);
    assertThat(dir).doesNotExist();

    var result =
        engine.apply(
            state("hostname: {config: mh-static}"),
            ApplyOptions.defaults().withProbes(List.of(a -> "no")));

    assertThat(result).isInstanceOf(ApplyResult.RolledBack.class);
    assertThat(dir).doesNotExist();
  }

  @Test
  void theRunningHostNameIsChangedOnlyInAUtsNamespaceOfItsOwn() throws Exception {
    var machine = running();
    var desired = state("hostname: {running: mh-running-test}");
    assertRefused(() -> engine.plan(desired))
        .singleElement()
        .asString()
        .startsWith("hostname.running: the host name belongs to the UTS namespace");

    var seen =
        OwnUts.call(
            () -> {
              var failed =
                  engine.apply(desired, ApplyOptions.defaults().withProbes(List.of(a -> "no")));
              assertThat(failed).isInstanceOf(ApplyResult.RolledBack.class);
              assertThat(running()).isEqualTo(machine);
              var applied = engine.apply(desired, ApplyOptions.defaults());
              assertThat(applied).isInstanceOf(ApplyResult.Applied.class);
              assertThat(engine.plan(desired).isEmpty()).isTrue();
              return running();
            });

    assertThat(seen).isEqualTo("mh-running-test");
    assertThat(running()).isEqualTo(machine);
  }
}
