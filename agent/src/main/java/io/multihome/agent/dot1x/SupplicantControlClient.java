package io.multihome.agent.dot1x;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.agent.control.JsonSocketClient;
import io.multihome.agent.engine.Engine;
import io.multihome.agent.engine.MkaConfig;
import io.multihome.agent.engine.PortAuth;
import io.multihome.state.Ieee8021x;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * The running agent's supplicant service through its socket ({@link SupplicantControl}): what the
 * CLI attaches to its engine so that {@code multihome apply} hands 802.1x and MACsec Key Agreement
 * to the agent, which outlives the command and supervises the supplicants.
 */
public final class SupplicantControlClient implements PortAuth {
  private final JsonSocketClient socket;

  private SupplicantControlClient(Path socket) {
    this.socket = new JsonSocketClient(socket, SupplicantControl.JSON, "supplicant");
  }

  /**
   * {@code engine} with the agent's supplicant service when an agent answers on its socket;
   * otherwise the engine refuses 802.1x and key agreement saying that they need the agent, and
   * where it looked.
   */
  public static Engine attach(Engine engine, Path stateDir) {
    var socket = SupplicantControl.socket(stateDir, engine.target());
    if (Files.exists(socket)) {
      var client = new SupplicantControlClient(socket);
      try {
        client.settings();
        return engine.withPortAuth(client);
      } catch (UncheckedIOException | IllegalStateException e) {
        // A stale socket of an agent that died: say so below.
      }
    }
    return engine.withoutPortAuth(
        "a supplicant that outlives the command: the multihome agent runs and supervises one per"
            + " interface, and no agent answers on "
            + socket
            + " (start 'multihome agent' on this node, or apply the state through a policy)");
  }

  @Override
  public Map<String, Ieee8021x> settings() {
    var a = call(SupplicantControl.JSON.createObjectNode().put("op", "settings"));
    return SupplicantControl.JSON.convertValue(a.path("settings"), SupplicantControl.SETTINGS);
  }

  @Override
  public void configure(Map<String, Ieee8021x> changes) {
    var r = SupplicantControl.JSON.createObjectNode().put("op", "configure");
    r.set("changes", SupplicantControl.JSON.valueToTree(changes));
    call(r);
  }

  @Override
  public Map<String, String> await(Collection<String> names, Instant deadline) {
    return awaiting("await", names, deadline);
  }

  @Override
  public Map<String, MkaConfig> mka() {
    var a = call(SupplicantControl.JSON.createObjectNode().put("op", "mka"));
    return SupplicantControl.JSON.convertValue(a.path("mka"), SupplicantControl.MKA);
  }

  @Override
  public void configureMka(Map<String, MkaConfig> changes) {
    var r = SupplicantControl.JSON.createObjectNode().put("op", "configure-mka");
    r.set("changes", SupplicantControl.JSON.valueToTree(changes));
    call(r);
  }

  @Override
  public Map<String, String> awaitMka(Collection<String> names, Instant deadline) {
    return awaiting("await-mka", names, deadline);
  }

  private Map<String, String> awaiting(String op, Collection<String> names, Instant deadline) {
    var r = SupplicantControl.JSON.createObjectNode().put("op", op);
    r.set("names", SupplicantControl.JSON.valueToTree(names));
    r.put("deadline", deadline.toEpochMilli());
    var a = call(r);
    return a.path("result").isNull() || a.path("result").isMissingNode()
        ? null
        : SupplicantControl.JSON.convertValue(a.path("result"), SupplicantControl.REASONS);
  }

  private JsonNode call(ObjectNode request) {
    return socket.call(request);
  }
}
