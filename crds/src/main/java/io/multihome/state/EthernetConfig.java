package io.multihome.state;

import java.util.List;

/** The {@code ethernet} section: link settings and the SR-IOV physical function. */
public record EthernetConfig(
    Boolean autoNegotiation, Integer speed, String duplex, SrIov srIov, Extras extras) {

  /**
   * {@code sr-iov}: how many VFs to create and, once {@code vfs} is given, the settings of every VF
   * (nmstate replaces the whole list).
   */
  public record SrIov(Integer totalVfs, Boolean driversAutoprobe, List<Vf> vfs, Extras extras) {}

  /** One VF's settings, by VF {@code id}. */
  public record Vf(
      Integer id,
      String macAddress,
      Boolean spoofCheck,
      Boolean trust,
      Integer minTxRate,
      Integer maxTxRate,
      Integer vlanId,
      Integer qos,
      String vlanProto,
      Extras extras) {}
}
