package io.multihome.sriov.sysfs;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Remembers, on the node's disk, which PFs this agent configured and how they looked before, so a
 * PF no policy selects any more is reset only if we changed it (upstream keeps the same record in
 * {@code /etc/sriov-operator/pci/<pci>}). One JSON file per PF.
 */
public final class ConfiguredPfStore {
  public static final Path DEFAULT_DIR = Path.of("/var/lib/multihome/sriov/pci");

  /** How a PF looked before we first touched it. */
  public record ConfiguredPf(
      String pciAddress, int originalNumVfs, int originalMtu, boolean externallyManaged) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;

  public ConfiguredPfStore(Path dir) {
    this.dir = dir;
  }

  public Optional<ConfiguredPf> get(String pciAddress) {
    Path file = dir.resolve(pciAddress + ".json");
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), ConfiguredPf.class));
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable PF record " + file, e);
    }
  }

  public void save(ConfiguredPf pf) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve(pf.pciAddress() + ".json.tmp");
    JSON.writeValue(tmp.toFile(), pf);
    // Rename so a crash never leaves a half-written record that would block the reset.
    Files.move(
        tmp,
        dir.resolve(pf.pciAddress() + ".json"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  public void delete(String pciAddress) throws IOException {
    Files.deleteIfExists(dir.resolve(pciAddress + ".json"));
  }

  public List<ConfiguredPf> all() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    var out = new ArrayList<ConfiguredPf>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        String name = p.getFileName().toString();
        get(name.substring(0, name.length() - ".json".length())).ifPresent(out::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
