package io.multihome.agent.engine;

import io.multihome.state.Ieee8021x;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * The engine's hook for IEEE 802.1X port authentication: a supplicant per interface, run and
 * supervised by someone who outlives an apply ({@code io.multihome.agent.dot1x.SupplicantService}
 * in the agent). Without one the engine refuses {@code 802.1x}. The engine tells it what each
 * interface asks for, waits for the authentication while verifying, and puts the previous
 * configuration back on rollback.
 */
public interface PortAuth {

  /** The configurations in effect (secrets included), by interface name. */
  Map<String, Ieee8021x> settings();

  /**
   * Makes each listed interface's configuration so: a null value stops its supplicant. Returns at
   * once; the supplicants authenticate in the background.
   */
  void configure(Map<String, Ieee8021x> changes);

  /**
   * Waits until each of {@code names} is authenticated (EAP success, port authorized) or {@code
   * deadline}. Returns null when they are, else why not, by interface name.
   */
  Map<String, String> await(Collection<String> names, Instant deadline);
}
