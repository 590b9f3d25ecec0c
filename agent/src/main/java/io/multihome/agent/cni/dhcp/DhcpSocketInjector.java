package io.multihome.agent.cni.dhcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.agent.cni.exec.CniException;
import io.multihome.agent.cni.exec.CniInvocation;
import io.multihome.agent.cni.exec.PluginExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Tells {@code "ipam": {"type": "dhcp"}} where this node's DHCP daemon listens, when that is not
 * the plugin's default {@code /run/cni/dhcp.sock}: every plugin config whose {@code ipam.type} is
 * {@code dhcp} and that names no {@code daemonSocketPath} of its own gets the supervised daemon's
 * socket (the reference plugin reads that ipam key, {@code plugins/ipam/dhcp/main.go}). The main
 * plugin passes its whole config on to the IPAM plugin, so this reaches the dhcp client whichever
 * plugin runs it. Lab nodes share one file system, so each needs its own socket path; a real node
 * with the default socket sees configs unchanged.
 */
public final class DhcpSocketInjector implements PluginExecutor {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] DHCP = "\"dhcp\"".getBytes(StandardCharsets.US_ASCII);

  private final PluginExecutor delegate;
  private final Path socket;

  public DhcpSocketInjector(PluginExecutor delegate, Path socket) {
    this.delegate = delegate;
    this.socket = socket;
  }

  /** {@code executor} itself when {@code socket} is null or the plugin's default. */
  public static PluginExecutor wrap(PluginExecutor executor, Path socket) {
    if (socket == null || socket.equals(DhcpDaemonSupervisor.DEFAULT_SOCKET)) {
      return executor;
    }
    return new DhcpSocketInjector(executor, socket);
  }

  @Override
  public byte[] exec(String type, CniInvocation invocation, byte[] stdin) throws CniException {
    return delegate.exec(type, invocation, inject(stdin, socket));
  }

  /** The config with {@code ipam.daemonSocketPath} set, or {@code config} itself if not dhcp. */
  public static byte[] inject(byte[] config, Path socket) {
    if (indexOf(config, DHCP) < 0) {
      return config; // cheap test first: most configs never mention dhcp
    }
    try {
      JsonNode root = JSON.readTree(config);
      JsonNode ipam = root == null ? null : root.get("ipam");
      if (!(ipam instanceof ObjectNode ipamObject)
          || !"dhcp".equals(ipam.path("type").asText())
          || ipam.hasNonNull("daemonSocketPath")) {
        return config;
      }
      ipamObject.put("daemonSocketPath", socket.toString());
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      return config; // the plugin reports its own parse error
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
