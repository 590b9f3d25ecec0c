package io.multihome.agent.cli;

import io.multihome.agent.cluster.EngineNodeNetwork;
import io.multihome.agent.engine.ApplyOptions;
import io.multihome.agent.engine.ApplyResult;
import io.multihome.agent.engine.Engine;
import io.multihome.agent.engine.NodeLink;
import io.multihome.agent.engine.PlanException;
import io.multihome.state.StateWriter;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code multihome apply [--netns NS] [--dry-run] [--no-verify] [--no-commit] [--timeout S]
 * FILE...}. Exit 0 applied and verified · 1 failed and rolled back · 2 invalid input, nothing
 * touched · 3 the rollback failed too (what is left is printed).
 */
@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    description = {
      "Apply nmstate desired states, NNCP manifests or nmstate policy files to this node (or a"
          + " namespace); captures are evaluated against its current state.",
      "Exit 0 applied and verified, 1 failed and rolled back, 2 invalid input (nothing touched),"
          + " 3 rollback failed."
    })
public final class ApplyCommand implements Callable<Integer> {
  static final int ROLLED_BACK = 1;
  static final int INVALID = 2;

  @Mixin EngineOptions engine;

  @Option(names = "--dry-run", description = "Print the plan; change nothing.")
  boolean dryRun;

  @Option(names = "--no-verify", description = "Do not read back and compare after applying.")
  boolean noVerify;

  @Option(
      names = "--no-commit",
      description = "Keep the checkpoint: roll back unless 'multihome commit' runs in time.")
  boolean noCommit;

  @Option(
      names = "--timeout",
      paramLabel = "S",
      defaultValue = "60",
      description = "Checkpoint deadline in seconds (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "YAML or JSON files; - for stdin")
  List<String> files;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    if (timeoutSeconds < 1) {
      err.println("multihome: --timeout: must be at least 1 second");
      err.flush();
      return INVALID;
    }
    engine.recoverExpired(err);
    try (var e = engine.open()) {
      var now = e.snapshot();
      var names = now.links().stream().map(NodeLink::name).collect(Collectors.toSet());
      if (now.ovs() != null && now.ovs().available()) {
        // OVS bridges and patch ports exist without a kernel device.
        var sw = now.ovs().state();
        names.addAll(sw.locations().keySet());
        sw.bridgeList().forEach(b -> names.add(b.name()));
      }
      var problems = new ArrayList<String>();
      var docs = StateInput.read(files, names::contains, () -> current(e), problems);
      if (docs == null) {
        problems.forEach(out::println);
        out.flush();
        return INVALID;
      }
      var options =
          ApplyOptions.defaults()
              .withVerify(!noVerify)
              .noCommit(Duration.ofSeconds(timeoutSeconds));
      if (!noCommit) {
        options = new ApplyOptions(!noVerify, true, options.timeout(), List.of(), options.hooks());
      }
      if (!dryRun) {
        e.checkNoPendingCheckpoint();
      }
      for (var doc : docs) {
        int code = applyOne(e, doc, options, out);
        if (code != 0) {
          return code;
        }
      }
      return 0;
    } catch (Engine.PendingCheckpointException ex) {
      err.println("multihome: " + ex.getMessage());
      err.flush();
      return INVALID;
    } finally {
      out.flush();
    }
  }

  /**
   * Captures run against the state an agent on this target would publish in its NNS, which is what
   * the policy controller evaluates them against.
   */
  private static StateInput.Current current(Engine e) {
    var label = e.target().netns() == null ? "this namespace" : "netns " + e.target().netns();
    return new StateInput.Current(EngineNodeNetwork.published(e), "the current state of " + label);
  }

  /** Which captures were evaluated, and with --dry-run the desired state they resolved to. */
  private void printRendered(StateInput.Doc doc, PrintWriter out) {
    var r = doc.rendered();
    if (r == null) {
      return;
    }
    out.println(
        doc.label()
            + ": "
            + (r.captures().isEmpty()
                ? "no captures"
                : "captures "
                    + String.join(", ", r.captures())
                    + " evaluated against "
                    + r.source())
            + (dryRun ? "; desired state:" : ""));
    if (dryRun) {
      StateWriter.toYaml(doc.state()).lines().forEach(l -> out.println("  " + l));
    }
  }

  private int applyOne(Engine e, StateInput.Doc doc, ApplyOptions options, PrintWriter out) {
    try {
      printRendered(doc, out);
      var prepared = e.prepare(doc.state());
      var plan = prepared.plan();
      out.println(doc.label() + ": plan with " + plan.ops().size() + " operations");
      plan.describe().forEach(l -> out.println("  " + l));
      if (dryRun || plan.isEmpty()) {
        out.println(doc.label() + ": " + (plan.isEmpty() ? "nothing to change" : "dry run"));
        return 0;
      }
      out.flush();
      long start = System.nanoTime();
      var result = e.apply(doc.state(), prepared, options);
      long ms = (System.nanoTime() - start) / 1_000_000;
      if (result instanceof ApplyResult.Applied a) {
        out.println(
            doc.label()
                + ": applied"
                + (options.verify() ? " and verified" : "")
                + " in "
                + ms
                + " ms"
                + (a.pending()
                    ? "; checkpoint pending: run 'multihome commit' within "
                        + options.timeout().toSeconds()
                        + " s or it is rolled back"
                    : ""));
      } else if (result instanceof ApplyResult.RolledBack r) {
        out.println(doc.label() + ": failed and rolled back: " + r.reason());
      } else if (result instanceof ApplyResult.RollbackFailed f) {
        out.println(doc.label() + ": failed: " + f.reason());
        out.println(doc.label() + ": rollback failed; still different from before:");
        f.leftovers().forEach(l -> out.println("  " + l));
      }
      return result.exitCode();
    } catch (PlanException ex) {
      ex.problems().forEach(p -> out.println(doc.where(p)));
      return INVALID;
    }
  }
}
