package io.multihome.agent.cni;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Per-container state files ({@code <dir>/<containerID>.json}, 0600). Written with write-to-temp,
 * fsync, rename so a crash or reboot leaves either the old or the new file, never a torn one
 * (Multus #1087).
 */
public final class StateStore {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  public StateStore(Path dir) {
    this.dir = dir;
  }

  public void write(ContainerState state) throws IOException {
    writeAtomically(file(state.containerId()), JSON.writeValueAsBytes(state));
  }

  /** Write-to-temp (0600), fsync, rename: readers see the old or the new content, never a mix. */
  public static void writeAtomically(Path target, byte[] content) throws IOException {
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path temp = dir.resolve("." + target.getFileName() + ".tmp");
    try (var channel =
        java.nio.channels.FileChannel.open(
            temp,
            java.util.Set.of(
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      channel.write(java.nio.ByteBuffer.wrap(content));
      channel.force(true);
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  public Optional<ContainerState> read(String containerId) throws IOException {
    Path file = file(containerId);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    return Optional.of(JSON.readValue(file.toFile(), ContainerState.class));
  }

  public void delete(String containerId) throws IOException {
    Files.deleteIfExists(file(containerId));
  }

  public List<ContainerState> all() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    var result = new ArrayList<ContainerState>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p :
          files.filter(f -> f.getFileName().toString().matches("[^.].*\\.json")).toList()) {
        result.add(JSON.readValue(p.toFile(), ContainerState.class));
      }
    }
    return result;
  }

  private Path file(String containerId) {
    // CNI_CONTAINERID is validated (alnum, '_', '.', '-') before it gets here; re-check anyway
    // because it becomes a file name.
    if (!containerId.matches("[A-Za-z0-9][A-Za-z0-9_.\\-]*")) {
      throw new IllegalArgumentException("invalid container id " + containerId);
    }
    return dir.resolve(containerId + ".json");
  }
}
