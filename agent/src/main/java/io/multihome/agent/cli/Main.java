package io.multihome.agent.cli;

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
    subcommands = {CommandLine.HelpCommand.class, ValidateCommand.class, AgentCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs one command line and returns its exit code; used by tests and the launcher alike. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** Runs one command line writing to {@code out} and {@code err}; for tests. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    var cli = commandLine();
    cli.setOut(out);
    cli.setErr(err);
    return cli.execute(args);
  }

  static CommandLine commandLine() {
    var cli = new CommandLine(new Main());
    for (CliCommand extra : ServiceLoader.load(CliCommand.class)) {
      cli.addSubcommand(extra);
    }
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
