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
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * A JSON file kept beside an apply's checkpoint ({@code checkpoint-NS.json<suffix>}) until commit,
 * holding what a part of the engine outside the kernel (DHCP, 802.1x, MACsec key agreement) looked
 * like before the apply, so that a rollback can put it back.
 *
 * @param secret created mode 0600 before anything is written (the value holds secrets)
 */
record CheckpointSideFile<T>(String suffix, TypeReference<T> type, boolean secret) {
  /**
   * The dynamic-IP settings an apply changed, as they were before it (a null value: off); a
   * rollback (also {@code multihome rollback} after {@code --no-commit}) configures them back.
   */
  static final CheckpointSideFile<Map<String, AutoIp>> DYNAMIC_IP =
      new CheckpointSideFile<>(".dhcp.json", new TypeReference<>() {}, false);

  /** The 802.1x configurations an apply changed (a null value: no supplicant); secrets inside. */
  static final CheckpointSideFile<Map<String, Ieee8021x>> DOT1X =
      new CheckpointSideFile<>(".8021x.json", new TypeReference<>() {}, true);

  /** The MACsec key agreements an apply changed (a null value: none); the CAK inside. */
  static final CheckpointSideFile<Map<String, MkaConfig>> MKA =
      new CheckpointSideFile<>(".mka.json", new TypeReference<>() {}, true);

  /** The ipsec connections an apply changed (a null value: none); pre-shared keys inside. */
  static final CheckpointSideFile<Map<String, IpsecConnections.Connection>> IPSEC =
      new CheckpointSideFile<>(".ipsec.json", new TypeReference<>() {}, true);

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
