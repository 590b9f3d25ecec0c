package io.multihome.agent.cli;

import io.multihome.agent.engine.CheckpointStore;
import io.multihome.agent.engine.Engine;
import java.io.PrintWriter;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code multihome} command line: one launcher for every role of the product. */
@Command(
    name = "multihome",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Declarative node networking, SR-IOV and secondary attachments for Kubernetes.",
    subcommands = {
      CommandLine.HelpCommand.class,
      ValidateCommand.class,
      ShowCommand.class,
      ApplyCommand.class,
      CommitCommand.class,
      RollbackCommand.class,
      AgentCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs one command line and returns its exit code; used by tests and the launcher alike. */
  public static int run(String... args) {
    recoverDefault(args, new PrintWriter(System.err, true));
    return commandLine().execute(args);
  }

  /** Runs one command line writing to {@code out} and {@code err}; for tests. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    var cli = commandLine();
    cli.setOut(out);
    cli.setErr(err);
    recoverDefault(args, err);
    return cli.execute(args);
  }

  /**
   * The dead-man switch for commands that do not take {@code --state-dir} (the engine commands
   * recover with their own): roll back expired checkpoints in the default state directory. A state
   * directory that does not exist costs nothing; one that cannot be read is reported.
   */
  static void recoverDefault(String[] args, PrintWriter err) {
    if (args.length == 0 || ENGINE_COMMANDS.contains(args[0])) {
      return;
    }
    try {
      for (var line :
          Engine.recoverExpired(
              CheckpointStore.defaultDir(),
              e -> EngineOptions.withIpsec(e, CheckpointStore.defaultDir()))) {
        err.println("multihome: " + line);
      }
    } catch (RuntimeException e) {
      err.println("multihome: cannot check for expired checkpoints: " + e.getMessage());
    }
    err.flush();
  }

  private static final java.util.Set<String> ENGINE_COMMANDS =
      java.util.Set.of(
          "show", "apply", "commit", "rollback", "help", "--help", "-h", "--version", "-V");

  static CommandLine commandLine() {
    var cli = new CommandLine(new Main());
    for (CliCommand extra : ServiceLoader.load(CliCommand.class)) {
      cli.addSubcommand(extra);
    }
    // A mistake in what the user named (a namespace that does not exist) is one line, not a
    // stack trace; apply's "invalid input, nothing touched" is exit code 2.
    cli.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          if (!(ex instanceof EngineOptions.NoSuchNamespaceException)) {
            throw ex;
          }
          cmd.getErr().println("multihome: " + ex.getMessage());
          cmd.getErr().flush();
          return cmd.getCommandName().equals("apply") ? 2 : 1;
        });
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      var version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"multihome " + (version == null ? "development build" : version)};
    }
  }
}
