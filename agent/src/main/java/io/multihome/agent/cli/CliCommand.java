package io.multihome.agent.cli;

/**
 * Marker for picocli subcommands that modules outside {@code agent} contribute (the lab lives in
 * {@code e2e}). They are found with {@link java.util.ServiceLoader}, so the launcher only has to
 * put the module on the class path.
 */
public interface CliCommand {}
