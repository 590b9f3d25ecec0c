package io.multihome.agent.dhcp;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.multihome.agent.engine.AutoIp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHCP service's files for one target, in {@code <state-dir>/dhcp/<netns|host>/}: {@code
 * settings.json} (what each interface asks for) and one {@code <iface>.lease4.json} / {@code
 * <iface>.lease6.json} per held lease, each written atomically (temp file, fsync, rename), so an
 * agent that restarts finds its clients and asks for the same leases again (INIT-REBOOT).
 */
final class LeaseStore {
  private static final Logger log = LoggerFactory.getLogger(LeaseStore.class);
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();
  private static final TypeReference<LinkedHashMap<String, AutoIp>> SETTINGS =
      new TypeReference<>() {};

  private final Path dir;

  LeaseStore(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  Map<String, AutoIp> settings() {
    var m = read(dir.resolve("settings.json"), SETTINGS);
    return m == null ? new LinkedHashMap<>() : m;
  }

  void settings(Map<String, AutoIp> settings) {
    write(dir.resolve("settings.json"), settings);
  }

  Lease4 lease4(String iface) {
    return read(dir.resolve(iface + ".lease4.json"), new TypeReference<Lease4>() {});
  }

  void lease4(String iface, Lease4 lease) {
    var f = dir.resolve(iface + ".lease4.json");
    if (lease == null) {
      delete(f);
    } else {
      write(f, lease);
    }
  }

  Lease6 lease6(String iface) {
    return read(dir.resolve(iface + ".lease6.json"), new TypeReference<Lease6>() {});
  }

  void lease6(String iface, Lease6 lease) {
    var f = dir.resolve(iface + ".lease6.json");
    if (lease == null) {
      delete(f);
    } else {
      write(f, lease);
    }
  }

  /** Interfaces that have a saved lease of either family. */
  TreeSet<String> leased() {
    var out = new TreeSet<String>();
    try (var files = Files.list(dir)) {
      files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".lease4.json") || n.endsWith(".lease6.json"))
          .forEach(n -> out.add(n.substring(0, n.length() - ".leaseN.json".length())));
    } catch (NoSuchFileException e) {
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static <T> T read(Path f, TypeReference<T> type) {
    try {
      return JSON.readValue(Files.readAllBytes(f), type);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      // A damaged file must not stop the agent: the client starts over (DISCOVER).
      log.warn("ignoring unreadable {}: {}", f, e.getMessage());
      return null;
    }
  }

  private void write(Path f, Object value) {
    try {
      Files.createDirectories(dir);
      var tmp = f.resolveSibling(f.getFileName() + ".tmp");
      try (var ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(value)));
        ch.force(true);
      }
      Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + f, e);
    }
  }

  private static void delete(Path f) {
    try {
      Files.deleteIfExists(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
