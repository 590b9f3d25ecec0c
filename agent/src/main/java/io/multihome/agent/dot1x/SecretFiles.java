package io.multihome.agent.dot1x;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supplicant service's files that hold secrets: each is written into a temp file created 0600
 * before any byte is in it, then renamed over the old one, so no secret is ever readable by others,
 * not even for a moment, and a crash leaves the old or the new file.
 */
final class SecretFiles {
  private static final Logger log = LoggerFactory.getLogger(SecretFiles.class);
  private static final ObjectMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private SecretFiles() {}

  static void write(Path file, String text) {
    try {
      var tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(tmp, text.getBytes(StandardCharsets.UTF_8), StandardOpenOption.TRUNCATE_EXISTING);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static String json(Map<String, ?> m) {
    try {
      return JSON.writeValueAsString(m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The saved map, or an empty one when there is none or it cannot be read (said in the log). */
  static <T> Map<String, T> read(Path file, TypeReference<Map<String, T>> type) {
    try {
      return Files.exists(file) ? JSON.readValue(Files.readAllBytes(file), type) : Map.of();
    } catch (IOException e) {
      log.warn("ignoring unreadable {}: {}", file, e.toString());
      return Map.of();
    }
  }

  static void delete(Path f) {
    try {
      Files.deleteIfExists(f);
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", f, e.toString());
    }
  }
}
