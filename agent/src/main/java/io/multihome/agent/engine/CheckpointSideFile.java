package io.multihome.agent.engine;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A JSON file kept beside an apply's checkpoint ({@code checkpoint-NS.json<suffix>}) until commit,
 * holding what a part of the engine outside the kernel (DHCP, 802.1x, MACsec key agreement) looked
 * like before the apply, so that a rollback can put it back.
 *
 * @param secret created mode 0600 before anything is written (the value holds secrets)
 */
record CheckpointSideFile<T>(String suffix, TypeReference<T> type, boolean secret) {
  private static final ObjectMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  Path fileOf(Path checkpoint) {
    return checkpoint.resolveSibling(checkpoint.getFileName() + suffix);
  }

  void write(Path checkpoint, T previous) {
    Path file = fileOf(checkpoint);
    try {
      Files.createDirectories(checkpoint.getParent());
      AtomicFile.replace(file, JSON.writeValueAsBytes(previous), secret ? OWNER_ONLY : null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The saved value, or null when the pending apply saved none. */
  T read(Path checkpoint) {
    Path file = fileOf(checkpoint);
    try {
      return JSON.readValue(Files.readAllBytes(file), type);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  void delete(Path checkpoint) {
    try {
      Files.deleteIfExists(fileOf(checkpoint));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
