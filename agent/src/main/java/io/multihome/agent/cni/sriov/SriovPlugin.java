package io.multihome.agent.cni.sriov;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.agent.cni.exec.CniCommand;
import io.multihome.agent.cni.exec.CniException;
import io.multihome.agent.cni.exec.CniInvocation;
import io.multihome.agent.cni.exec.InProcessPlugin;
import io.multihome.agent.cni.exec.PluginExecutor;
import io.multihome.agent.netlink.HwAddr;
import io.multihome.agent.netlink.Link;
import io.multihome.agent.netlink.NetNs;
import io.multihome.agent.netlink.NetlinkException;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.agent.netlink.Vf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code sriov} CNI plugin, in process (Debian ships no sriov-cni binary). ADD: deviceID → VF
 * (sysfs), record the VF's settings, set VLAN/QoS, MAC, spoofchk, trust, link state and rates
 * through the PF, move the VF netdev into the pod namespace under the requested name, run the IPAM
 * plugin (exec'ed with the CNI IPAM protocol: the same config on stdin) and configure its addresses
 * and routes. DEL undoes it in reverse and gives the VF back under its original name. Any ADD
 * failure undoes what was done before the error is returned.
 */
public final class SriovPlugin implements InProcessPlugin {

  public static final String TYPE = "sriov";
  private static final Logger LOG = LoggerFactory.getLogger(SriovPlugin.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final VfLocator locator;
  private final VfControl vfs;
  private final PluginExecutor ipam;
  private final SriovStateStore store;
  private final Supplier<NetNs> nodeNamespace;
  private final PodInterfaceConfigurator configurator = new PodInterfaceConfigurator();
  // One VF, one operation at a time: two pods racing for the same device (a misconfigured
  // allocation) must not let the loser's undo reset the settings the winner just applied.
  private final Map<String, Object> deviceLocks = new ConcurrentHashMap<>();

  /**
   * @param ipam runs the IPAM plugin binaries (host-local, static, ...)
   * @param nodeNamespace opens the namespace the VF netdevs live in when not in a pod
   */
  public SriovPlugin(
      VfLocator locator,
      VfControl vfs,
      PluginExecutor ipam,
      SriovStateStore store,
      Supplier<NetNs> nodeNamespace) {
    this.locator = locator;
    this.vfs = vfs;
    this.ipam = ipam;
    this.store = store;
    this.nodeNamespace = nodeNamespace;
  }

  @Override
  public byte[] invoke(CniInvocation invocation, byte[] config) throws CniException {
    return switch (invocation.command()) {
      case ADD -> add(invocation, config);
      case DEL -> del(invocation, config);
      case CHECK -> check(invocation, config);
      case VERSION, STATUS, GC -> new byte[0];
    };
  }

  private byte[] add(CniInvocation inv, byte[] config) throws CniException {
    SriovNetConf conf = SriovNetConf.parse(config);
    require(inv.netns(), "CNI_NETNS");
    require(inv.ifname(), "CNI_IFNAME");
    synchronized (deviceLocks.computeIfAbsent(conf.deviceId(), k -> new Object())) {
      return addLocked(inv, config, conf);
    }
  }

  private byte[] addLocked(CniInvocation inv, byte[] config, SriovNetConf conf)
      throws CniException {
    VfDevice vf = locator.locate(conf.deviceId());
    SriovState state;
    try (NetNs node = nodeNamespace.get();
        RtNetlink nl = RtNetlink.open(node)) {
      Link link =
          nl.links()
              .find(vf.netdev())
              .orElseThrow(
                  () ->
                      new CniException(
                          CniException.INVALID_CONFIG,
                          "sriov deviceID "
                              + vf.pciAddress()
                              + ": VF netdev "
                              + vf.netdev()
                              + " is not in the node namespace (in use by another pod?)"));
      state =
          new SriovState(
              inv.containerId(),
              inv.ifname(),
              vf.pciAddress(),
              vf.pfName(),
              vf.vfIndex(),
              vf.netdev(),
              link.mac() == null ? null : link.mac().toString(),
              SriovState.SavedVf.of(vfs.read(vf.pfName(), vf.vfIndex())));
    } catch (RuntimeException e) {
      throw kernel("cannot read VF " + vf.pciAddress(), e);
    }
    save(state);
    ObjectNode ipamResult = null;
    try {
      vfs.apply(vf.pfName(), desired(conf, vf.vfIndex()));
      String mac = moveIntoPod(state, inv.netns(), conf.mac());
      if (conf.ipamType() != null) {
        ipamResult = runIpamAdd(conf, inv, config);
        configurator.configure(inv.netns(), inv.ifname(), ipamResult);
      }
      return JSON.writeValueAsBytes(result(config, inv, mac, ipamResult));
    } catch (CniException | RuntimeException | IOException e) {
      undoAdd(inv, config, conf, state);
      if (e instanceof CniException cni) {
        throw cni;
      }
      throw kernel("attaching VF " + vf.pciAddress() + " as " + inv.ifname(), e);
    }
  }

  private byte[] del(CniInvocation inv, byte[] config) throws CniException {
    SriovNetConf conf;
    try {
      conf = SriovNetConf.parse(config);
    } catch (CniException e) {
      // A config that cannot be parsed cannot have been added; DEL must not fail on it.
      LOG.warn("sriov DEL {}: ignoring unparsable config: {}", inv.containerId(), e.getMessage());
      return new byte[0];
    }
    if (conf.ipamType() != null) {
      ipam.exec(conf.ipamType(), inv.withCommand(CniCommand.DEL), config); // releases the lease
    }
    Optional<SriovState> state;
    try {
      state = store.read(inv.containerId(), inv.ifname());
    } catch (IOException e) {
      throw new CniException(CniException.IO_FAILURE, "cannot read sriov state: " + e);
    }
    if (state.isEmpty()) {
      LOG.info("sriov DEL {} {}: no state, nothing to give back", inv.containerId(), inv.ifname());
      return new byte[0];
    }
    synchronized (deviceLocks.computeIfAbsent(state.get().pciAddress(), k -> new Object())) {
      try {
        giveBack(state.get(), inv.netns());
      } catch (RuntimeException e) {
        throw kernel("giving VF " + state.get().pciAddress() + " back", e);
      }
      delete(state.get());
    }
    return new byte[0];
  }

  private byte[] check(CniInvocation inv, byte[] config) throws CniException {
    SriovNetConf.parse(config);
    try (NetNs pod = NetNs.path(inv.netns());
        RtNetlink nl = RtNetlink.open(pod)) {
      if (nl.links().find(inv.ifname()).isEmpty()) {
        throw new CniException(
            CniException.IO_FAILURE, "sriov CHECK: " + inv.ifname() + " is not in " + inv.netns());
      }
    } catch (RuntimeException e) {
      throw kernel("sriov CHECK", e);
    }
    return new byte[0];
  }

  static Vf desired(SriovNetConf conf, int index) {
    Vf vf = Vf.of(index);
    Integer proto = conf.vlanProto() == SriovNetConf.PROTO_8021Q ? null : conf.vlanProto();
    vf = vf.withVlan(conf.vlan(), conf.vlanQos(), proto);
    if (conf.mac() != null) {
      vf = vf.withMac(HwAddr.parse(conf.mac()));
    }
    if (conf.spoofchk() != null) {
      vf = vf.withSpoofchk(conf.spoofchk());
    }
    if (conf.trust() != null) {
      vf = vf.withTrust(conf.trust());
    }
    if (conf.linkState() != null) {
      vf = vf.withLinkState(conf.linkState());
    }
    if (conf.minTxRate() != null || conf.maxTxRate() != null) {
      vf = vf.withRate(orZero(conf.minTxRate()), orZero(conf.maxTxRate()));
    }
    return vf;
  }

  /** Moves the VF netdev in, renames it, sets the MAC; returns the MAC it ends up with. */
  private String moveIntoPod(SriovState state, String netns, String mac) {
    try (NetNs node = nodeNamespace.get();
        RtNetlink nl = RtNetlink.open(node);
        NetNs pod = NetNs.path(netns)) {
      nl.links().setDown(state.hostIfName());
      nl.links().moveToNetns(state.hostIfName(), pod);
      try (RtNetlink inPod = RtNetlink.open(pod)) {
        inPod.links().rename(state.hostIfName(), state.ifname());
        if (mac != null) {
          inPod.links().setMac(state.ifname(), HwAddr.parse(mac));
        }
        inPod.links().setUp(state.ifname());
        return inPod.links().get(state.ifname()).mac().toString();
      }
    }
  }

  private ObjectNode runIpamAdd(SriovNetConf conf, CniInvocation inv, byte[] config)
      throws CniException, IOException {
    byte[] out = ipam.exec(conf.ipamType(), inv.withCommand(CniCommand.ADD), config);
    JsonNode node = JSON.readTree(out);
    if (node == null || !node.isObject()) {
      throw new CniException(
          CniException.DECODE_FAILURE, "IPAM plugin " + conf.ipamType() + " printed no result");
    }
    return (ObjectNode) node;
  }

  private static ObjectNode result(byte[] config, CniInvocation inv, String mac, ObjectNode ipam)
      throws IOException {
    ObjectNode result = JSON.createObjectNode();
    result.put("cniVersion", JSON.readTree(config).path("cniVersion").asText("1.0.0"));
    result
        .putArray("interfaces")
        .addObject()
        .put("name", inv.ifname())
        .put("mac", mac)
        .put("sandbox", inv.netns());
    if (ipam != null) {
      var ips = result.putArray("ips");
      for (JsonNode ip : ipam.path("ips")) {
        ObjectNode copy = ip.deepCopy();
        copy.put("interface", 0);
        ips.add(copy);
      }
      if (ipam.has("routes")) {
        result.set("routes", ipam.get("routes").deepCopy());
      }
      if (ipam.has("dns")) {
        result.set("dns", ipam.get("dns").deepCopy());
      }
    }
    return result;
  }

  private void undoAdd(CniInvocation inv, byte[] config, SriovNetConf conf, SriovState state) {
    if (conf.ipamType() != null) {
      try {
        ipam.exec(conf.ipamType(), inv.withCommand(CniCommand.DEL), config);
      } catch (CniException e) {
        LOG.warn("sriov ADD undo: IPAM DEL failed: {}", e.getMessage());
      }
    }
    try {
      giveBack(state, inv.netns());
      delete(state);
    } catch (RuntimeException | CniException e) {
      // The state file stays, so the runtime's DEL retries the give-back.
      LOG.warn("sriov ADD undo of {} incomplete: {}", state.pciAddress(), e.toString());
    }
  }

  /** Pod namespace → node namespace under the original name, then the original settings. */
  private void giveBack(SriovState state, String netns) {
    try (NetNs node = nodeNamespace.get();
        RtNetlink nl = RtNetlink.open(node)) {
      if (nl.links().find(state.hostIfName()).isEmpty()) {
        moveBackFromPod(state, netns, node);
      }
      if (nl.links().find(state.hostIfName()).isEmpty()) {
        // The sandbox is gone: a real VF came back by itself, possibly under the pod's name.
        locator
            .currentNetdev(state.pciAddress())
            .filter(name -> !name.equals(state.hostIfName()))
            .filter(name -> nl.links().find(name).isPresent())
            .ifPresent(name -> nl.links().rename(name, state.hostIfName()));
      }
      if (nl.links().find(state.hostIfName()).isPresent() && state.netdevMac() != null) {
        nl.links().setMac(state.hostIfName(), HwAddr.parse(state.netdevMac()));
      } else if (nl.links().find(state.hostIfName()).isEmpty()) {
        LOG.warn(
            "sriov: VF {} netdev {} is gone (sandbox deleted with an emulated VF?)",
            state.pciAddress(),
            state.hostIfName());
      }
    }
    // Only what differs: a driver refuses settings it lacks even when unchanged (igb: link state).
    Vf restore =
        state.original().changesFrom(state.vfIndex(), vfs.read(state.pfName(), state.vfIndex()));
    if (restore != null) {
      vfs.apply(state.pfName(), restore);
    }
  }

  private static void moveBackFromPod(SriovState state, String netns, NetNs node) {
    if (netns == null || netns.isEmpty()) {
      return;
    }
    NetNs pod;
    try {
      pod = NetNs.path(netns);
    } catch (NetlinkException gone) {
      return; // sandbox already deleted
    }
    try (pod;
        RtNetlink inPod = RtNetlink.open(pod)) {
      String current =
          inPod.links().find(state.ifname()).isPresent()
              ? state.ifname()
              : inPod.links().find(state.hostIfName()).map(Link::name).orElse(null);
      if (current == null) {
        return;
      }
      inPod.links().setDown(current);
      if (!current.equals(state.hostIfName())) {
        inPod.links().rename(current, state.hostIfName());
      }
      inPod.links().moveToNetns(state.hostIfName(), node);
    }
  }

  private void save(SriovState state) throws CniException {
    try {
      store.write(state);
    } catch (IOException e) {
      throw new CniException(CniException.IO_FAILURE, "cannot write sriov state: " + e);
    }
  }

  private void delete(SriovState state) throws CniException {
    try {
      store.delete(state.containerId(), state.ifname());
    } catch (IOException e) {
      throw new CniException(CniException.IO_FAILURE, "cannot remove sriov state: " + e);
    }
  }

  private static void require(String value, String key) throws CniException {
    if (value == null || value.isEmpty()) {
      throw new CniException(CniException.INVALID_ENVIRONMENT, "sriov: " + key + " is not set");
    }
  }

  private static CniException kernel(String what, Exception e) {
    return new CniException(CniException.IO_FAILURE, what + ": " + e.getMessage());
  }

  private static int orZero(Integer v) {
    return v == null ? 0 : v;
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
