package io.multihome.sriov.sysfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A sysfs tree rooted at a configurable directory ({@code /sys} on a node, a temp dir in tests).
 * Paths given to its methods are relative to the root, e.g. {@code bus/pci/devices/0000:3b:00.0}.
 */
public final class Sysfs {
  public static final Path DEFAULT_ROOT = Path.of("/sys");

  private final Path root;
  private final SysfsWriter writer;

  public Sysfs(Path root, SysfsWriter writer) {
    this.root = root;
    this.writer = writer;
  }

  /** The real kernel's sysfs at {@code root}, written with plain file writes. */
  public static Sysfs real(Path root) {
    return new Sysfs(root, Sysfs::plainWrite);
  }

  public Path root() {
    return root;
  }

  public Path resolve(String relative) {
    return root.resolve(relative);
  }

  /** Attribute content without the trailing newline the kernel appends; empty if absent. */
  public Optional<String> read(Path attribute) {
    try {
      return Optional.of(Files.readString(attribute).strip());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      // Some attributes (e.g. speed of a down link) fail with EINVAL on read: treat as unknown.
      return Optional.empty();
    }
  }

  public Optional<Integer> readInt(Path attribute) {
    return read(attribute)
        .flatMap(
            s -> {
              try {
                return Optional.of(Integer.decode(s));
              } catch (NumberFormatException e) {
                return Optional.empty();
              }
            });
  }

  /** File name of a symlink's target (e.g. the driver name of {@code <dev>/driver}). */
  public Optional<String> linkTargetName(Path link) {
    if (!Files.isSymbolicLink(link)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readSymbolicLink(link).getFileName().toString());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Directory entries' names, sorted; empty when the directory does not exist. */
  public List<String> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return new ArrayList<>(s.map(p -> p.getFileName().toString()).sorted().toList());
    } catch (IOException e) {
      return List.of();
    }
  }

  public boolean exists(Path path) {
    return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
  }

  public void write(Path attribute, String value) throws IOException {
    writer.write(attribute, value);
  }

  private static void plainWrite(Path attribute, String value) throws IOException {
    // sysfs attributes must exist already; CREATE would hide a wrong path behind a new file.
    Files.writeString(attribute, value, StandardOpenOption.WRITE);
  }
}
