package io.multihome.agent.cni.sriov;

import io.multihome.agent.netlink.HwAddr;
import io.multihome.agent.netlink.Vf;

/**
 * What DEL needs to give a VF back as it was found: written before the VF is touched, so even an
 * agent crash in the middle of an ADD leaves enough to undo it.
 *
 * @param hostIfName the VF netdev's name in the node namespace before the pod got it
 * @param netdevMac the VF netdev's own MAC before ADD (restored when the pod asked for a MAC)
 * @param original the VF settings the PF reported before ADD
 */
public record SriovState(
    String containerId,
    String ifname,
    String pciAddress,
    String pfName,
    int vfIndex,
    String hostIfName,
    String netdevMac,
    SavedVf original) {

  /** {@link Vf} in a JSON-friendly shape (MAC as text). */
  public record SavedVf(
      String mac,
      Integer vlan,
      Integer qos,
      Integer vlanProto,
      Boolean spoofchk,
      Boolean trust,
      Integer linkState,
      Integer minTxRate,
      Integer maxTxRate) {

    public static SavedVf of(Vf vf) {
      return new SavedVf(
          vf.mac() == null ? null : vf.mac().toString(),
          vf.vlan(),
          vf.qos(),
          vf.vlanProto(),
          vf.spoofchk(),
          vf.trust(),
          vf.linkState(),
          vf.minTxRate(),
          vf.maxTxRate());
    }

    /** The settings to send to restore this state (fields the driver did not report stay unset). */
    public Vf toVf(int index) {
      Vf vf = Vf.of(index);
      if (mac != null) {
        vf = vf.withMac(HwAddr.parse(mac));
      }
      vf = vf.withVlan(vlan == null ? 0 : vlan, qos == null ? 0 : qos, vlanProtoForRestore());
      if (spoofchk != null) {
        vf = vf.withSpoofchk(spoofchk);
      }
      if (trust != null) {
        vf = vf.withTrust(trust);
      }
      if (linkState != null) {
        vf = vf.withLinkState(linkState);
      }
      if (minTxRate != null || maxTxRate != null) {
        vf = vf.withRate(minTxRate == null ? 0 : minTxRate, maxTxRate == null ? 0 : maxTxRate);
      }
      return vf;
    }

    /**
     * Only the settings of {@link #toVf} that differ from {@code now}, or null when none does.
     * Drivers refuse what they do not implement even when it would change nothing (igb has no link
     * state; its rates need link), so a give-back must not resend unchanged settings.
     */
    public Vf changesFrom(int index, Vf now) {
      Vf all = toVf(index);
      Vf out = Vf.of(index);
      boolean any = false;
      if (all.mac() != null && !all.mac().equals(now.mac())) {
        out = out.withMac(all.mac());
        any = true;
      }
      if (!java.util.Objects.equals(all.vlan(), orZero(now.vlan()))
          || !java.util.Objects.equals(all.qos(), orZero(now.qos()))
          || protoOf(all.vlanProto()) != protoOf(now.vlanProto())) {
        out = out.withVlan(all.vlan(), all.qos(), all.vlanProto());
        any = true;
      }
      if (all.spoofchk() != null && !all.spoofchk().equals(now.spoofchk())) {
        out = out.withSpoofchk(all.spoofchk());
        any = true;
      }
      if (all.trust() != null && !all.trust().equals(now.trust())) {
        out = out.withTrust(all.trust());
        any = true;
      }
      if (all.linkState() != null && !all.linkState().equals(now.linkState())) {
        out = out.withLinkState(all.linkState());
        any = true;
      }
      if (all.maxTxRate() != null
          && (!all.minTxRate().equals(orZero(now.minTxRate()))
              || !all.maxTxRate().equals(orZero(now.maxTxRate())))) {
        out = out.withRate(all.minTxRate(), all.maxTxRate());
        any = true;
      }
      return any ? out : null;
    }

    private static int orZero(Integer v) {
      return v == null ? 0 : v;
    }

    private static int protoOf(Integer proto) {
      return proto == null ? SriovNetConf.PROTO_8021Q : proto;
    }

    // 802.1ad must be sent as such to be undone; plain 802.1q goes the IFLA_VF_VLAN way drivers
    // without VLAN_LIST support understand.
    private Integer vlanProtoForRestore() {
      return vlanProto != null && vlanProto != SriovNetConf.PROTO_8021Q ? vlanProto : null;
    }
  }
}
