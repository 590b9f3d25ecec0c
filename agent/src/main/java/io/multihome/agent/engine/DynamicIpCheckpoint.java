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
import java.util.Map;

/**
 * The dynamic-IP settings an apply changed, as they were before it ({@code null}: off), kept beside
 * its checkpoint ({@code checkpoint-NS.json.dhcp.json}) until commit, so that a rollback (also
 * {@code multihome rollback} after {@code --no-commit}) can configure them back.
 */
final class DynamicIpCheckpoint {
  private static final ObjectMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private static final TypeReference<Map<String, AutoIp>> TYPE = new TypeReference<>() {};

  private DynamicIpCheckpoint() {}

  static Path fileOf(Path checkpoint) {
    return checkpoint.resolveSibling(checkpoint.getFileName() + ".dhcp.json");
  }

  static void write(Path checkpoint, Map<String, AutoIp> previous) {
    try {
      Files.createDirectories(checkpoint.getParent());
      AtomicFile.replace(fileOf(checkpoint), JSON.writeValueAsBytes(previous), null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + fileOf(checkpoint), e);
    }
  }

  /** The saved settings, or null when the pending apply changed none. */
  static Map<String, AutoIp> read(Path checkpoint) {
    try {
      return JSON.readValue(Files.readAllBytes(fileOf(checkpoint)), TYPE);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + fileOf(checkpoint), e);
    }
  }

  static void delete(Path checkpoint) {
    try {
      Files.deleteIfExists(fileOf(checkpoint));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
