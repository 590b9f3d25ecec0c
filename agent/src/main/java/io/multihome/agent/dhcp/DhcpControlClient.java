package io.multihome.agent.dhcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.agent.control.JsonSocketClient;
import io.multihome.agent.engine.AutoIp;
import io.multihome.agent.engine.DynamicIp;
import io.multihome.agent.engine.Engine;
import io.multihome.state.DnsConfig;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * {@link DynamicIp} through the running agent's socket: what {@code multihome apply} uses on a
 * node, so the agent (which outlives the command) runs the DHCP clients.
 */
public final class DhcpControlClient implements DynamicIp {
  private final JsonSocketClient socket;

  private DhcpControlClient(Path socket) {
    this.socket = new JsonSocketClient(socket, DhcpControl.JSON, "DHCP");
  }

  /**
   * {@code engine} with the agent's DHCP service when an agent answers on its socket; otherwise the
   * engine refuses DHCP saying that it needs the agent, and where it looked.
   */
  public static Engine attach(Engine engine, Path stateDir) {
    var socket = DhcpControl.socket(stateDir, engine.target());
    if (Files.exists(socket)) {
      var client = new DhcpControlClient(socket);
      try {
        client.call(DhcpControl.JSON.createObjectNode().put("op", "settings"));
        return engine.withDynamicIp(client);
      } catch (UncheckedIOException e) {
        // A stale socket of an agent that died: say so below.
      }
    }
    return engine.withoutDynamicIp(
        "the multihome agent, which runs the DHCP clients, and no agent answers on "
            + socket
            + " (start 'multihome agent' on this node, or apply the state through a policy)");
  }

  @Override
  public Map<String, AutoIp> settings() {
    var a = call(DhcpControl.JSON.createObjectNode().put("op", "settings"));
    return DhcpControl.JSON.convertValue(a.path("settings"), DhcpControl.SETTINGS);
  }

  @Override
  public void configure(Map<String, AutoIp> changes) {
    var r = DhcpControl.JSON.createObjectNode().put("op", "configure");
    r.set("changes", DhcpControl.JSON.valueToTree(changes));
    call(r);
  }

  @Override
  public void commit() {
    call(DhcpControl.JSON.createObjectNode().put("op", "commit"));
  }

  @Override
  public String await(Collection<String> names, Instant deadline) {
    var r = DhcpControl.JSON.createObjectNode().put("op", "await");
    r.set("names", DhcpControl.JSON.valueToTree(names));
    r.put("deadline", deadline.toEpochMilli());
    var a = call(r);
    return a.path("result").isNull() ? null : a.path("result").asText();
  }

  @Override
  public DnsConfig dns() {
    var a = call(DhcpControl.JSON.createObjectNode().put("op", "dns"));
    return DhcpControl.JSON.convertValue(a.path("dns"), DnsConfig.class);
  }

  private JsonNode call(ObjectNode request) {
    return socket.call(request);
  }
}
