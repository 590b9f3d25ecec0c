package io.multihome.agent.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checkpoints on disk, one file per namespace ({@code checkpoint-<netns|host>.json}) in the state
 * directory. Written atomically: a temp file is written and fsynced, renamed over the old one, and
 * the directory fsynced, so a crash leaves the old or the new checkpoint, never half of one.
 */
public final class CheckpointStore {
  /** Default state directory; {@code MULTIHOME_STATE_DIR} or {@code --state-dir} override it. */
  public static final String DEFAULT_DIR = "/var/lib/multihome";

  private static final ObjectMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private final Path dir;

  public CheckpointStore(Path dir) {
    this.dir = dir;
  }

  /** The directory from {@code MULTIHOME_STATE_DIR}, else the default. */
  public static Path defaultDir() {
    var env = System.getenv("MULTIHOME_STATE_DIR");
    return Path.of(env == null || env.isEmpty() ? DEFAULT_DIR : env);
  }

  public Path dir() {
    return dir;
  }

  public Path fileFor(Target target) {
    return dir.resolve("checkpoint-" + target.label() + ".json");
  }

  /**
   * The file whose lock lets one apply at a time at {@code target} ({@link ApplyLock}); it stays,
   * as the agent's lock file does.
   */
  public Path lockFor(Target target) {
    return dir.resolve("apply-" + target.label() + ".lock");
  }

  public Optional<Checkpoint> read(Target target) {
    return read(fileFor(target));
  }

  static Optional<Checkpoint> read(Path file) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), Checkpoint.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Every checkpoint file in the directory; not the side files kept beside one ({@code
   * checkpoint-NS.json.dhcp.json} and the like, {@link CheckpointSideFile}).
   */
  public List<Path> all() {
    var out = new ArrayList<Path>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (var s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().matches("checkpoint-.*\\.json"))
          .filter(p -> !p.getFileName().toString().contains(".json."))
          .sorted()
          .forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  public void write(Target target, Checkpoint cp) {
    var file = fileFor(target);
    try {
      AtomicFile.replace(file, JSON.writeValueAsBytes(cp), null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  public void delete(Target target) {
    try {
      Files.deleteIfExists(fileFor(target));
      AtomicFile.syncDir(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
