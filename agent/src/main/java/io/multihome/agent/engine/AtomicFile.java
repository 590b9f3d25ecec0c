package io.multihome.agent.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Replaces a file so that a crash leaves the old or the new one, never half of one: a temp file
 * beside it is written and fsynced, renamed over it, and the directory fsynced.
 */
final class AtomicFile {
  private AtomicFile() {}

  /** {@code perms} null: the temp file's defaults. */
  static void replace(Path file, byte[] bytes, Set<PosixFilePermission> perms) throws IOException {
    var dir = file.getParent();
    Files.createDirectories(dir);
    var tmp = dir.resolve("." + file.getFileName() + ".tmp");
    if (perms != null) {
      // Secrets (802.1x) must never sit in a file others can read, not even for a moment.
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(perms));
    }
    try (var ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      var buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    if (perms != null) {
      Files.setPosixFilePermissions(tmp, perms);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    syncDir(dir);
  }

  static void syncDir(Path dir) {
    try (var ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some filesystems refuse fsync on a directory; the rename itself is still atomic.
    }
  }
}
