package io.multihome.agent.engine;

import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.file.Path;
import java.util.Map;

/**
 * The dynamic-IP settings an apply changed, as they were before it ({@code null}: off), kept beside
 * its checkpoint ({@code checkpoint-NS.json.dhcp.json}) until commit, so that a rollback (also
 * {@code multihome rollback} after {@code --no-commit}) can configure them back.
 */
final class DynamicIpCheckpoint {
  private static final CheckpointSideFile<Map<String, AutoIp>> FILE =
      new CheckpointSideFile<>(".dhcp.json", new TypeReference<>() {}, false);

  private DynamicIpCheckpoint() {}

  static Path fileOf(Path checkpoint) {
    return FILE.fileOf(checkpoint);
  }

  static void write(Path checkpoint, Map<String, AutoIp> previous) {
    FILE.write(checkpoint, previous);
  }

  /** The saved settings, or null when the pending apply changed none. */
  static Map<String, AutoIp> read(Path checkpoint) {
    return FILE.read(checkpoint);
  }

  static void delete(Path checkpoint) {
    FILE.delete(checkpoint);
  }
}
