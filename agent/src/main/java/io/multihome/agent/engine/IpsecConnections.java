package io.multihome.agent.engine;

import io.multihome.state.Interface;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * The engine's hook for {@code type: ipsec}: libreswan connections run by a private IKE daemon for
 * the engine's target ({@code io.multihome.agent.ipsec.IpsecService}: its own pluto in the target's
 * namespace, files under the state directory). Without one the engine refuses ipsec interfaces,
 * naming what is missing. The engine tells it which connections to add, initiate or delete, waits
 * for their Child SAs while verifying, and puts the previous connections back on rollback.
 */
public interface IpsecConnections {

  /** One connection as the engine asks for it; {@code libreswan} holds the pre-shared key. */
  record Connection(Interface.LibreswanConfig libreswan, boolean modeConfig, boolean down) {
    /** The ipsec.conf {@code conn} section named {@code name} (no key: that is a secret). */
    public String conf(String name) {
      return IpsecPlanner.body(name, libreswan, modeConfig);
    }

    /** An end's identity as pluto sees it: its id ({@code @name} for a plain name) or address. */
    public static String identity(String id, String address) {
      return id != null ? IpsecPlanner.id(id) : address;
    }

    /** Secrets are never printed. */
    @Override
    public String toString() {
      return "Connection[modeConfig=" + modeConfig + ", down=" + down + "]";
    }
  }

  /** What the daemon reports for a connection: established, and the mode-config lease if any. */
  record Status(boolean established, String lease, String detail) {}

  /** The connections in effect (secrets included), by name. */
  Map<String, Connection> connections();

  /**
   * Makes each listed connection so: replaced and initiated (unless down); a null value deletes it
   * (and the daemon stops when no connection is left). Returns once the daemon has them; the IKE
   * exchange runs in the background.
   */
  void configure(Map<String, Connection> changes);

  /**
   * Waits until each of {@code names} has an established Child SA (and, with mode config, its lease
   * address on the node), or {@code deadline}. Returns null when all do, else why not, by name.
   */
  Map<String, String> await(Collection<String> names, Instant deadline);

  /** The state of each connection in effect, by name (for show). */
  Map<String, Status> status();

  /**
   * Null when the daemon's certificate database holds a certificate named {@code nickname}, else
   * why not (where it looked and how to import one).
   */
  String certificateProblem(String nickname);
}
