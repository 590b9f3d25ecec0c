package io.multihome.agent.cni.nad;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.multihome.agent.cni.exec.CniException;
import io.multihome.agent.cni.exec.NetworkList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Turns a NAD reference into a {@link NetworkList} (NPWG §3.4): {@code spec.config} when set (conf
 * or conflist, NAD name injected when {@code name} is missing), else the first file in the conf dir
 * ({@code .conf}, {@code .conflist}, {@code .json}, lexical order) whose {@code name} equals the
 * NAD name, else an error.
 */
public final class NetworkResolver {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final NetworkSource source;
  private final Path confDir;
  private final NamespacePolicy policy;

  public NetworkResolver(NetworkSource source, Path confDir, NamespacePolicy policy) {
    this.source = source;
    this.confDir = confDir;
    this.policy = policy;
  }

  /**
   * @param namespace the NAD namespace, already defaulted by the caller
   * @param podNamespace for the isolation check
   */
  public ResolvedNetwork resolve(String namespace, String name, String podNamespace)
      throws CniException {
    String ref = namespace + "/" + name;
    if (!policy.allows(podNamespace, namespace)) {
      throw new CniException(
          CniException.NETWORK_RESOLUTION,
          "namespace isolation is enabled: pod in namespace "
              + podNamespace
              + " may not use network "
              + ref
              + " (allowed: its own namespace and "
              + policy.globalNamespaces()
              + ")");
    }
    Nad nad;
    try {
      nad =
          source
              .find(namespace, name)
              .orElseThrow(() -> new NetworkNotFoundException(namespace, name));
    } catch (NetworkSource.SourceUnavailableException e) {
      throw new CniException(
          CniException.TRY_AGAIN_LATER, "cannot look up network " + ref + ": " + e.getMessage());
    }
    String config = nad.config();
    NetworkList list;
    if (config == null || config.isBlank()) {
      list = fromConfDir(ref, name);
    } else {
      try {
        list = NetworkList.parse(config, name);
      } catch (CniException e) {
        throw e.withContext("network-attachment-definition " + ref + " spec.config");
      }
    }
    return new ResolvedNetwork(ref, list, nad.annotations());
  }

  private NetworkList fromConfDir(String ref, String name) throws CniException {
    if (confDir == null || !Files.isDirectory(confDir)) {
      throw new CniException(
          CniException.NETWORK_RESOLUTION,
          "network-attachment-definition "
              + ref
              + " has no spec.config and no conf dir is configured");
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(confDir)) {
      files =
          listing
              .filter(p -> p.toString().matches(".*\\.(conf|conflist|json)$"))
              .filter(Files::isRegularFile)
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new CniException(CniException.IO_FAILURE, "cannot list " + confDir + ": " + e);
    }
    for (Path file : files) {
      try {
        String text = Files.readString(file);
        if (name.equals(JSON.readTree(text).path("name").asText())) {
          return NetworkList.parse(text, name);
        }
      } catch (IOException e) {
        // A broken neighbour file must not hide the one we look for.
        continue;
      } catch (CniException e) {
        throw e.withContext(file.toString());
      }
    }
    throw new CniException(
        CniException.NETWORK_RESOLUTION,
        "network-attachment-definition "
            + ref
            + " has no spec.config and no network named \""
            + name
            + "\" is in "
            + confDir);
  }
}
