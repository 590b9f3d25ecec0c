package io.multihome.agent.engine;

import io.multihome.agent.ovsdb.OvsdbClient;
import io.multihome.agent.ovsdb.OvsdbException;
import io.multihome.agent.ovsdb.SwitchState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The Open vSwitch part of a node's state: the switch read from the OVSDB socket, or why it could
 * not be read ({@code unavailable}: no socket, Open vSwitch not running; or the server's error).
 * Nodes without Open vSwitch cost one {@code stat} per read. {@code defaultDatapath} is what a new
 * bridge whose document gives no {@code datapath} gets: OVS's default (the kernel datapath, "")
 * when the kernel has the openvswitch module, else the userspace one ({@code netdev}), the only one
 * that can work there.
 */
public record OvsSnapshot(
    Path socket, SwitchState state, String unavailable, String defaultDatapath) {

  /** How long one OVSDB call may take before the engine gives up on it. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  /** Reads the switch at {@code socket}; {@code sysfsRoot} tells whether the module is loaded. */
  public static OvsSnapshot read(Path socket, Path sysfsRoot) {
    if (socket == null || !Files.exists(socket)) {
      return new OvsSnapshot(
          socket,
          null,
          "Open vSwitch is not running on this node (no OVSDB socket at " + socket + ")",
          null);
    }
    var datapath =
        Files.isDirectory(sysfsRoot.resolve("module").resolve("openvswitch")) ? "" : "netdev";
    try (var c = OvsdbClient.connect(socket, CALL_TIMEOUT)) {
      return new OvsSnapshot(socket, SwitchState.read(c), null, datapath);
    } catch (OvsdbException e) {
      return new OvsSnapshot(socket, null, e.getMessage(), datapath);
    }
  }

  public boolean available() {
    return state != null;
  }
}
