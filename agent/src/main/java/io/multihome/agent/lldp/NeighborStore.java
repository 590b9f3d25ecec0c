package io.multihome.agent.lldp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.agent.engine.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The LLDP neighbours the listener heard, in the state directory ({@code
 * lldp-neighbors-<netns|host>.json}), so that {@code show} in any process (the agent's NNS, the
 * CLI) reports them: per interface, each neighbour's TLVs and the time its TTL runs out.
 */
public final class NeighborStore {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NeighborStore() {}

  public static Path file(Path stateDir, Target target) {
    return stateDir.resolve("lldp-neighbors-" + target.label() + ".json");
  }

  /** One neighbour as stored: its TLVs and when it expires (epoch ms). */
  public record Entry(JsonNode tlvs, long until) {}

  /** The neighbours not yet expired at {@code now}, by interface; empty without a file. */
  public static Map<String, List<JsonNode>> read(Path file, long now) {
    var out = new TreeMap<String, List<JsonNode>>();
    if (!Files.exists(file)) {
      return out;
    }
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      // Being replaced right now (rename is atomic, but be lenient): no neighbours this time.
      return out;
    }
    root.fields()
        .forEachRemaining(
            e -> {
              var list = new ArrayList<JsonNode>();
              for (var n : e.getValue()) {
                if (n.path("until").asLong() > now) {
                  list.add(n.path("tlvs"));
                }
              }
              if (!list.isEmpty()) {
                out.put(e.getKey(), list);
              }
            });
    return out;
  }

  /** Replaces the file with {@code neighbors} (interface → entries), atomically. */
  public static void write(Path file, Map<String, List<Entry>> neighbors) {
    ObjectNode root = JSON.createObjectNode();
    new TreeMap<>(neighbors)
        .forEach(
            (iface, entries) -> {
              var arr = root.putArray(iface);
              for (var e : entries) {
                var o = arr.addObject();
                o.set("tlvs", e.tlvs());
                o.put("until", e.until());
              }
            });
    try {
      Files.createDirectories(file.getParent());
      var tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(tmp, JSON.writeValueAsBytes(root));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
