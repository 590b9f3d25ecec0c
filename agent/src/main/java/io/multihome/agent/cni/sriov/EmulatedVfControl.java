package io.multihome.agent.cni.sriov;

import io.multihome.agent.netlink.HwAddr;
import io.multihome.agent.netlink.Vf;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link VfControl} for the hardware-less emulation (lab, kernel tests), where the "VFs" are
 * macvlan links and no PF driver exists to take IFLA_VF_* attributes. It keeps each VF's settings
 * in memory the way a PF driver would report them (merging what was set) and records every call, so
 * tests assert what would have been sent. The netlink encoding itself is covered by the netlink
 * module's byte-level VF tests.
 */
public final class EmulatedVfControl implements VfControl {

  /** One {@link #apply} call. */
  public record Call(String pfName, Vf settings) {}

  private final Map<String, Vf> state = new HashMap<>();
  private final List<Call> calls = new ArrayList<>();

  @Override
  public synchronized Vf read(String pfName, int vfIndex) {
    return state.computeIfAbsent(key(pfName, vfIndex), k -> factoryDefaults(vfIndex));
  }

  @Override
  public synchronized void apply(String pfName, Vf settings) {
    calls.add(new Call(pfName, settings));
    Vf current = read(pfName, settings.vf());
    state.put(key(pfName, settings.vf()), merge(current, settings));
  }

  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** What a freshly created VF reports on common drivers (i40e, mlx5). */
  public static Vf factoryDefaults(int index) {
    return Vf.of(index)
        .withMac(HwAddr.parse("00:00:00:00:00:00"))
        .withVlan(0, 0, 0x8100)
        .withSpoofchk(true)
        .withTrust(false)
        .withLinkState(0)
        .withRate(0, 0);
  }

  private static Vf merge(Vf a, Vf b) {
    return new Vf(
        a.vf(),
        b.mac() != null ? b.mac() : a.mac(),
        b.vlan() != null ? b.vlan() : a.vlan(),
        b.vlan() != null ? b.qos() : a.qos(),
        b.vlan() != null ? (b.vlanProto() != null ? b.vlanProto() : 0x8100) : a.vlanProto(),
        b.spoofchk() != null ? b.spoofchk() : a.spoofchk(),
        b.trust() != null ? b.trust() : a.trust(),
        b.linkState() != null ? b.linkState() : a.linkState(),
        b.minTxRate() != null ? b.minTxRate() : a.minTxRate(),
        b.maxTxRate() != null ? b.maxTxRate() : a.maxTxRate());
  }

  private static String key(String pf, int vf) {
    return pf + "/" + vf;
  }
}
