package io.multihome.agent.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;

/**
 * Writes a resolver file atomically and puts it back from a checkpoint byte for byte. A symlinked
 * resolv.conf (systemd-resolved, NetworkManager) stays a symlink: the file it points to is replaced
 * (temp file in that file's directory, fsync, rename, fsync of the directory), so everything that
 * reads through the link sees the old or the new file, never half of one.
 */
final class ResolvConfFile {
  private static final int MAX_LINKS = 16;

  private ResolvConfFile() {}

  /**
   * The resolver file as it was: the real path (symlinks followed), its bytes (base64; null when it
   * did not exist) and the topmost directory writing it had to create (null: none), which rollback
   * removes again.
   */
  record Saved(String path, String content, String createdDir) {}

  static Saved save(Path file) {
    var real = resolve(file);
    try {
      String content =
          Files.exists(real, LinkOption.NOFOLLOW_LINKS)
              ? Base64.getEncoder().encodeToString(Files.readAllBytes(real))
              : null;
      Path created = null;
      for (var dir = real.getParent(); dir != null && !Files.exists(dir); dir = dir.getParent()) {
        created = dir;
      }
      return new Saved(real.toString(), content, created == null ? null : created.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + real + ": " + e.getMessage(), e);
    }
  }

  /**
   * Replaces {@code file} (or the file its symlinks lead to) with {@code bytes} atomically, keeping
   * the old file's permissions (a new one gets 0644), and reads it back.
   */
  static void write(Path file, byte[] bytes) {
    var real = resolve(file);
    try {
      AtomicFile.replace(
          real,
          bytes,
          Files.exists(real)
              ? Files.getPosixFilePermissions(real)
              : PosixFilePermissions.fromString("rw-r--r--"));
      if (!Arrays.equals(Files.readAllBytes(file), bytes)) {
        throw new IllegalStateException(file + " does not read back as written");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + real + ": " + e, e);
    }
  }

  /** Puts the saved file back; returns null when it is as saved, else what differs. */
  static String restore(Saved saved) {
    var real = Path.of(saved.path());
    try {
      if (saved.content() != null) {
        var bytes = Base64.getDecoder().decode(saved.content());
        if (!Files.exists(real) || !Arrays.equals(Files.readAllBytes(real), bytes)) {
          write(real, bytes);
        }
        return null;
      }
      Files.deleteIfExists(real);
      if (saved.createdDir() != null) {
        var top = Path.of(saved.createdDir());
        for (var dir = real.getParent();
            dir != null && dir.startsWith(top);
            dir = dir.getParent()) {
          try (var entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
              break;
            }
          }
          Files.delete(dir);
        }
      }
      return Files.exists(real) ? real + " should not exist" : null;
    } catch (IOException | RuntimeException e) {
      return "restore " + real + ": " + e.getMessage();
    }
  }

  /**
   * Follows symlinks (relative ones from the link's directory); a dangling link gives its target.
   */
  static Path resolve(Path file) {
    var p = file.toAbsolutePath().normalize();
    for (int i = 0; i < MAX_LINKS && Files.isSymbolicLink(p); i++) {
      try {
        p = p.getParent().resolve(Files.readSymbolicLink(p)).normalize();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read link " + p + ": " + e.getMessage(), e);
      }
    }
    if (Files.isSymbolicLink(p)) {
      throw new IllegalStateException(file + ": too many levels of symbolic links");
    }
    return p;
  }
}
