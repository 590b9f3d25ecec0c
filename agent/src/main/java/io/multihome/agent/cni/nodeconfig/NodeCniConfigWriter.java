package io.multihome.agent.cni.nodeconfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Writes {@code 00-multihome.conflist} into the runtime's CNI conf dir, wrapping the node's primary
 * CNI config (configured, or the lexically first other {@code .conf}/{@code .conflist} file). With
 * a readiness indicator the file is only written once the indicator exists and is removed when it
 * disappears (NPWG §6.1), so pods do not start before the cluster network is ready (Multus #1387).
 */
public final class NodeCniConfigWriter {

  public static final String FILE_NAME = "00-multihome.conflist";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Outcome of one {@link #sync()}. */
  public enum Outcome {
    WRITTEN,
    UNCHANGED,
    WAITING_FOR_READINESS,
    NO_PRIMARY_CONFIG
  }

  private final Path confDir;
  private final Path primaryOverride;
  private final Path readinessIndicator;

  /**
   * @param primaryOverride the primary config to wrap, or null for auto-selection (Multus'
   *     multusMasterCNI, #1499)
   * @param readinessIndicator or null
   */
  public NodeCniConfigWriter(Path confDir, Path primaryOverride, Path readinessIndicator) {
    this.confDir = confDir;
    this.primaryOverride = primaryOverride;
    this.readinessIndicator = readinessIndicator;
  }

  public Outcome sync() throws IOException {
    Path target = confDir.resolve(FILE_NAME);
    if (readinessIndicator != null && !Files.exists(readinessIndicator)) {
      Files.deleteIfExists(target);
      return Outcome.WAITING_FOR_READINESS;
    }
    Optional<Path> primary = primary();
    if (primary.isEmpty()) {
      Files.deleteIfExists(target);
      return Outcome.NO_PRIMARY_CONFIG;
    }
    byte[] content = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(render(primary.get()));
    if (Files.exists(target) && java.util.Arrays.equals(Files.readAllBytes(target), content)) {
      return Outcome.UNCHANGED;
    }
    // Temp file + rename: the runtime may read the dir at any moment (and never sees half a file).
    Path temp = confDir.resolve("." + FILE_NAME + ".tmp");
    Files.write(temp, content);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return Outcome.WRITTEN;
  }

  /** The primary config: the override, or the lexically first CNI config that is not ours. */
  public Optional<Path> primary() throws IOException {
    if (primaryOverride != null) {
      return Files.isRegularFile(primaryOverride) ? Optional.of(primaryOverride) : Optional.empty();
    }
    if (!Files.isDirectory(confDir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(confDir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().matches("[^.].*\\.(conf|conflist|json)"))
          .filter(p -> !p.getFileName().toString().equals(FILE_NAME))
          .sorted()
          .findFirst();
    }
  }

  private ObjectNode render(Path primary) throws IOException {
    JsonNode wrapped = JSON.readTree(primary.toFile());
    String version = wrapped.path("cniVersion").asText("1.0.0");
    ObjectNode root = JSON.createObjectNode();
    root.put("cniVersion", version);
    root.put("name", "multihome-cni-network");
    ObjectNode plugin = root.putArray("plugins").addObject();
    plugin.put("type", "multihome-cni");
    plugin.put("clusterNetwork", primary.toString());
    if (readinessIndicator != null) {
      plugin.put("readinessIndicatorFile", readinessIndicator.toString());
    }
    // Whatever the primary can take from the runtime (kubelet hostPort → portMappings, …), we
    // must accept too, to hand it on to the cluster network only.
    ObjectNode capabilities = plugin.putObject("capabilities");
    for (JsonNode p :
        wrapped.has("plugins") ? wrapped.get("plugins") : JSON.createArrayNode().add(wrapped)) {
      p.path("capabilities")
          .fields()
          .forEachRemaining(
              e -> {
                if (e.getValue().asBoolean(false)) {
                  capabilities.put(e.getKey(), true);
                }
              });
    }
    if (capabilities.isEmpty()) {
      plugin.remove("capabilities");
    }
    return root;
  }
}
