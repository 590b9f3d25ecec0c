package io.multihome.agent.engine;

import io.multihome.state.Ieee8021x;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * The engine's hook for IEEE 802.1X port authentication: a supplicant per interface, run and
 * supervised by someone who outlives an apply ({@code io.multihome.agent.dot1x.SupplicantService}
 * in the agent), also for MACsec Key Agreement ({@code macsec.mka-cak}/{@code mka-ckn}: the same
 * supplicant with the macsec_linux driver on the MACsec link's base interface). Without one the
 * engine refuses both. The engine tells it what each interface asks for, waits for the
 * authentication while verifying, and puts the previous configuration back on rollback.
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

  /** The MACsec Key Agreements in effect (CAK included), by MACsec interface name. */
  Map<String, MkaConfig> mka();

  /**
   * Makes each listed MACsec interface's key agreement so (null: stops it). The MACsec link must
   * exist: the supplicant adopts the link whose SCI (base MAC, port) it would create.
   */
  void configureMka(Map<String, MkaConfig> changes);

  /**
   * Waits until each listed MACsec interface's key agreement secured the link with a peer, or
   * {@code deadline}. Returns null when all are, else why not, by interface name.
   */
  Map<String, String> awaitMka(Collection<String> names, Instant deadline);
}
