package io.multihome.agent.cli;

import io.multihome.state.StateWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code multihome show [--netns NS] [--json] [IFACE...]}: the current state as an nmstate desired
 * state that {@code apply} and {@code validate} accept back unchanged.
 */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = "Print the node's current network state as nmstate YAML (or JSON).")
public final class ShowCommand implements Callable<Integer> {
  @Mixin EngineOptions engine;

  @Option(names = "--json", description = "Print JSON instead of YAML.")
  boolean json;

  @Parameters(arity = "0..*", paramLabel = "IFACE", description = "Only these interfaces.")
  List<String> names;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    engine.recoverExpired(err);
    try (var e = engine.open()) {
      var state = e.show(n -> names == null || names.isEmpty() || names.contains(n));
      if (json) {
        out.println(StateWriter.toTree(state).toPrettyString());
      } else {
        out.print(StateWriter.toYaml(state));
      }
    }
    out.flush();
    return 0;
  }
}
