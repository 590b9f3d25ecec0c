package io.multihome.agent.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.agent.dhcp.DhcpControlServer;
import io.multihome.agent.dhcp.DhcpService;
import io.multihome.agent.engine.ApplyOptions;
import io.multihome.agent.engine.ApplyResult;
import io.multihome.agent.engine.Engine;
import io.multihome.agent.engine.EngineHooks;
import io.multihome.agent.engine.PlanException;
import io.multihome.agent.engine.Probe;
import io.multihome.agent.engine.Snapshot;
import io.multihome.agent.engine.Target;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.ovsdb.OvsdbWatch;
import io.multihome.state.CurrentStates;
import io.multihome.state.StateParser;
import io.multihome.state.StateWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's node network backed by the node state engine (issue 4): every kind it supports, and
 * dynamic IP (DHCP, autoconf) through the node's {@link DhcpService}, whose clients it starts with
 * the leases they held (state directory) and serves to {@code multihome apply} on its socket.
 */
public final class EngineNodeNetwork implements NodeNetwork {
  private static final Logger log = LoggerFactory.getLogger(EngineNodeNetwork.class);
  private final String netns;
  private final Engine engine;
  private final EngineHooks hooks;
  private final io.multihome.agent.lldp.LldpService lldp;
  private final DhcpService dhcp;
  private final DhcpControlServer dhcpSocket;
  private final io.multihome.agent.dot1x.SupplicantService supplicants;
  private final io.multihome.agent.dot1x.SupplicantControlServer supplicantSocket;

  /** {@code netns} null means the agent's own namespace (the host, in a DaemonSet pod). */
  public EngineNodeNetwork(String netns, Path stateDir) {
    this(netns, stateDir, EngineHooks.NONE);
  }

  /** With the engine's fault-injection {@code hooks} (tests). */
  public EngineNodeNetwork(String netns, Path stateDir, EngineHooks hooks) {
    this(Target.of(netns), stateDir, hooks);
  }

  /** On {@code target} (its namespace and the node's OVSDB socket). */
  public EngineNodeNetwork(Target target, Path stateDir, EngineHooks hooks) {
    this.netns = target.netns();
    this.hooks = hooks;
    this.dhcp = DhcpService.start(target, stateDir);
    // 802.1x: one supervised wpa_supplicant per interface that asks for it (when installed).
    this.supplicants =
        io.multihome.agent.dot1x.SupplicantService.installed()
            ? io.multihome.agent.dot1x.SupplicantService.start(target, stateDir)
            : null;
    this.engine =
        supplicants != null
            ? Engine.open(target, stateDir).withDynamicIp(dhcp).withPortAuth(supplicants)
            : Engine.open(target, stateDir)
                .withDynamicIp(dhcp)
                .withoutPortAuth(
                    "wpa_supplicant, which is not installed on this node (Debian package"
                        + " wpasupplicant)");
    // ipsec: a private libreswan pluto in the node's namespace, state under the state dir.
    if (io.multihome.agent.ipsec.IpsecService.installed()) {
      engine.withIpsec(io.multihome.agent.ipsec.IpsecService.open(target, stateDir));
    } else {
      engine.withoutIpsec(io.multihome.agent.ipsec.IpsecService.NOT_INSTALLED);
    }
    DhcpControlServer socket = null;
    try {
      socket = DhcpControlServer.start(dhcp, stateDir);
    } catch (java.io.IOException e) {
      // The CLI then says plainly that DHCP needs the agent; policies still get DHCP.
      log.warn("no DHCP socket for multihome apply: {}", e.toString());
    }
    this.dhcpSocket = socket;
    io.multihome.agent.dot1x.SupplicantControlServer wpaSocket = null;
    if (supplicants != null) {
      try {
        wpaSocket =
            io.multihome.agent.dot1x.SupplicantControlServer.start(supplicants, target, stateDir);
      } catch (java.io.IOException e) {
        // The CLI then says 802.1x needs the agent; policies still get it.
        log.warn("no supplicant socket for multihome apply: {}", e.toString());
      }
    }
    this.supplicantSocket = wpaSocket;
    // The LLDP listener of the interfaces kept with lldp.enabled (also those a CLI apply set).
    this.lldp = new io.multihome.agent.lldp.LldpService(Target.of(netns), stateDir).start();
  }

  /** The node's DHCP service (its clients, leases and settings). */
  public DhcpService dhcp() {
    return dhcp;
  }

  @Override
  public ApplyOutcome apply(ObjectNode desiredState, List<NodeProbe> probes) {
    var parsed = StateParser.parse(desiredState);
    if (!parsed.ok()) {
      return new ApplyOutcome.Rejected(parsed.problems().get(0).toString());
    }
    List<Probe> checks = probes.stream().map(EngineNodeNetwork::probe).toList();
    ApplyResult result;
    try {
      result =
          engine.apply(parsed.state(), ApplyOptions.defaults().withProbes(checks).withHooks(hooks));
    } catch (PlanException e) {
      return new ApplyOutcome.Rejected(e.getMessage());
    } catch (Engine.PendingCheckpointException e) {
      // Someone else's checkpoint (an admin's apply --no-commit): retry later, never override it.
      return new ApplyOutcome.RolledBack(e.getMessage(), List.of());
    }
    try {
      lldp.sync(); // at once, instead of within the next second
    } catch (RuntimeException e) {
      // The listener retries every second; the apply's outcome does not depend on it.
    }
    var changes = result.plan().describe();
    if (result instanceof ApplyResult.RolledBack r) {
      return new ApplyOutcome.RolledBack(r.reason(), changes);
    }
    if (result instanceof ApplyResult.RollbackFailed f) {
      return new ApplyOutcome.RollbackFailed(f.reason(), changes, f.leftovers());
    }
    return new ApplyOutcome.Applied(changes);
  }

  /** The agent's probe as the engine's, keeping its name for failure messages. */
  private static Probe probe(NodeProbe p) {
    return new Probe() {
      @Override
      public String check(Snapshot applied) throws Exception {
        return p.check();
      }

      @Override
      public String name() {
        return p.name();
      }
    };
  }

  /**
   * The node's state for its NNS. As in nmstate's NNS, routes and DNS appear as {@code config} and
   * {@code running}; captures read the latter ({@code routes.running.destination=="0.0.0.0/0"}).
   * See {@link CurrentStates#withRunning}.
   */
  @Override
  public ObjectNode currentState() {
    return stateOf(engine);
  }

  private static ObjectNode stateOf(Engine engine) {
    return CurrentStates.withRunning(StateWriter.toTree(engine.show(name -> true)));
  }

  /**
   * The state of {@code engine}'s target exactly as an agent there publishes it in the NNS ({@code
   * status.currentState}): what the policy controller evaluates an NNCP's captures against, and so
   * what {@code multihome apply} evaluates them against.
   */
  public static ObjectNode published(Engine engine) {
    return VolatileFields.strip(stateOf(engine));
  }

  /**
   * Rolls back any checkpoint, expired or not: one left by an agent killed moments ago would
   * otherwise block every apply until its deadline.
   */
  @Override
  public Optional<String> recoverLeftoverCheckpoint() {
    List<String> leftovers = engine.rollback();
    if (leftovers == null) {
      return Optional.empty();
    }
    return Optional.of(
        leftovers.isEmpty()
            ? "rolled back the checkpoint of " + engine.target().label()
            : "rollback of " + engine.target().label() + " left: " + String.join("; ", leftovers));
  }

  /** Kernel events, and changes of the node's Open vSwitch configuration (an OVSDB monitor). */
  @Override
  public AutoCloseable onChange(Runnable listener) {
    var kernel = NodeNamespace.onChange(netns, listener);
    var ovs = OvsdbWatch.start(engine.target().ovsdbSocket(), listener, Duration.ofSeconds(5));
    return () -> {
      try (ovs) {
        kernel.close();
      }
    };
  }

  /** One link dump in the node's namespace: no addresses, routes or DNS as in a full state. */
  @Override
  public Set<String> linuxBridges() {
    try (var nl = engine.target().open()) {
      var out = new TreeSet<String>();
      for (var link : nl.links().list()) {
        if (link.kind() instanceof LinkKind.Bridge) {
          out.add(link.name());
        }
      }
      return out;
    }
  }

  @Override
  public NodeFacts facts() {
    return NodeFacts.of(engine.snapshot().routes(), engine.dns().server());
  }

  @Override
  public <T> T inNodeNamespace(Callable<T> task) throws Exception {
    return NodeNamespace.call(netns, task);
  }

  @Override
  public void close() {
    try {
      lldp.close();
    } finally {
      if (dhcpSocket != null) {
        dhcpSocket.close();
      }
      engine.close();
      // Clients stop, addresses and saved leases stay: the next agent takes them back.
      dhcp.close();
      if (supplicantSocket != null) {
        supplicantSocket.close();
      }
      if (supplicants != null) {
        // Supplicants stop; their saved configurations start them again with the next agent.
        supplicants.close();
      }
    }
  }
}
