package io.multihome.agent.engine;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.multihome.state.Ieee8021x;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The 802.1x configurations an apply changed, as they were before it ({@code null}: no supplicant),
 * kept beside its checkpoint ({@code checkpoint-NS.json.8021x.json}, mode 0600: it holds the
 * secrets) until commit, so that a rollback can configure them back; MACsec key agreements the same
 * way in {@code checkpoint-NS.json.mka.json}.
 */
final class PortAuthCheckpoint {
  private static final ObjectMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private static final TypeReference<Map<String, Ieee8021x>> TYPE = new TypeReference<>() {};
  private static final TypeReference<Map<String, MkaConfig>> MKA = new TypeReference<>() {};

  private PortAuthCheckpoint() {}

  static Path fileOf(Path checkpoint) {
    return checkpoint.resolveSibling(checkpoint.getFileName() + ".8021x.json");
  }

  static void write(Path checkpoint, Map<String, Ieee8021x> previous) {
    try {
      Files.createDirectories(checkpoint.getParent());
      AtomicFile.replace(
          fileOf(checkpoint),
          JSON.writeValueAsBytes(previous),
          PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + fileOf(checkpoint), e);
    }
  }

  /** The saved configurations, or null when the pending apply changed none. */
  static Map<String, Ieee8021x> read(Path checkpoint) {
    try {
      return JSON.readValue(Files.readAllBytes(fileOf(checkpoint)), TYPE);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + fileOf(checkpoint), e);
    }
  }

  static Path mkaFileOf(Path checkpoint) {
    return checkpoint.resolveSibling(checkpoint.getFileName() + ".mka.json");
  }

  static void writeMka(Path checkpoint, Map<String, MkaConfig> previous) {
    try {
      Files.createDirectories(checkpoint.getParent());
      AtomicFile.replace(
          mkaFileOf(checkpoint),
          JSON.writeValueAsBytes(previous),
          PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + mkaFileOf(checkpoint), e);
    }
  }

  static Map<String, MkaConfig> readMka(Path checkpoint) {
    try {
      return JSON.readValue(Files.readAllBytes(mkaFileOf(checkpoint)), MKA);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + mkaFileOf(checkpoint), e);
    }
  }

  /** Removes both side files. */
  static void delete(Path checkpoint) {
    try {
      Files.deleteIfExists(mkaFileOf(checkpoint));
      Files.deleteIfExists(fileOf(checkpoint));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
