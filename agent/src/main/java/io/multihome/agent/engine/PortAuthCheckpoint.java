package io.multihome.agent.engine;

import com.fasterxml.jackson.core.type.TypeReference;
import io.multihome.state.Ieee8021x;
import java.nio.file.Path;
import java.util.Map;

/**
 * The 802.1x configurations an apply changed, as they were before it ({@code null}: no supplicant),
 * kept beside its checkpoint ({@code checkpoint-NS.json.8021x.json}, mode 0600: it holds the
 * secrets) until commit, so that a rollback can configure them back; MACsec key agreements the same
 * way in {@code checkpoint-NS.json.mka.json}.
 */
final class PortAuthCheckpoint {
  private static final CheckpointSideFile<Map<String, Ieee8021x>> DOT1X =
      new CheckpointSideFile<>(".8021x.json", new TypeReference<>() {}, true);
  private static final CheckpointSideFile<Map<String, MkaConfig>> MKA =
      new CheckpointSideFile<>(".mka.json", new TypeReference<>() {}, true);

  private PortAuthCheckpoint() {}

  static Path fileOf(Path checkpoint) {
    return DOT1X.fileOf(checkpoint);
  }

  static void write(Path checkpoint, Map<String, Ieee8021x> previous) {
    DOT1X.write(checkpoint, previous);
  }

  /** The saved configurations, or null when the pending apply changed none. */
  static Map<String, Ieee8021x> read(Path checkpoint) {
    return DOT1X.read(checkpoint);
  }

  static Path mkaFileOf(Path checkpoint) {
    return MKA.fileOf(checkpoint);
  }

  static void writeMka(Path checkpoint, Map<String, MkaConfig> previous) {
    MKA.write(checkpoint, previous);
  }

  static Map<String, MkaConfig> readMka(Path checkpoint) {
    return MKA.read(checkpoint);
  }

  /** Removes both side files. */
  static void delete(Path checkpoint) {
    MKA.delete(checkpoint);
    DOT1X.delete(checkpoint);
  }
}
