package io.multihome.agent.netlink;

/**
 * A link's kind ({@code IFLA_INFO_KIND}) with its kind data ({@code IFLA_INFO_DATA}). The same
 * records describe a link to create and a link read back; {@code null} fields are "not set" on
 * create and "not reported" on read.
 */
public sealed interface LinkKind
    permits LinkKind.Bridge,
        LinkKind.Veth,
        LinkKind.Vlan,
        LinkKind.Macvlan,
        LinkKind.Vxlan,
        LinkKind.Dummy,
        LinkKind.Bond,
        LinkKind.Vrf,
        LinkKind.Ipvlan,
        LinkKind.Hsr,
        LinkKind.Macsec,
        LinkKind.Ipoib,
        LinkKind.Other {

  /** The kernel's kind string, e.g. {@code bridge}. */
  String kind();

  /**
   * Bridge options. Times are in hundredths of a second as the kernel takes them (clock_t with
   * USER_HZ=100): forwardDelay 1500 is 15 s. vlanProtocol is 0x8100 or 0x88a8.
   */
  record Bridge(
      Integer stpState,
      Integer forwardDelay,
      Integer helloTime,
      Integer maxAge,
      Integer priority,
      Integer ageingTime,
      Boolean vlanFiltering,
      Integer vlanProtocol,
      Integer defaultPvid,
      Boolean multicastSnooping,
      Integer groupFwdMask,
      HwAddr groupAddr,
      java.util.Map<Integer, Long> multicast)
      implements LinkKind {
    /**
     * {@code multicast}: the IFLA_BR_MCAST_* tuning attributes ({@link #MCAST_WIDTHS}) by attribute
     * type; on create/change only those given are sent.
     */
    public Bridge {
      multicast =
          multicast == null
              ? java.util.Map.of()
              : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(multicast));
    }

    /** IFLA_BR_MCAST_* attributes this record carries, with their size in bytes. */
    public static final java.util.Map<Integer, Integer> MCAST_WIDTHS =
        java.util.Map.ofEntries(
            java.util.Map.entry(22, 1), // ROUTER
            java.util.Map.entry(24, 1), // QUERY_USE_IFADDR
            java.util.Map.entry(25, 1), // QUERIER
            java.util.Map.entry(27, 4), // HASH_MAX
            java.util.Map.entry(28, 4), // LAST_MEMBER_CNT
            java.util.Map.entry(29, 4), // STARTUP_QUERY_CNT
            java.util.Map.entry(30, 8), // LAST_MEMBER_INTVL
            java.util.Map.entry(31, 8), // MEMBERSHIP_INTVL
            java.util.Map.entry(32, 8), // QUERIER_INTVL
            java.util.Map.entry(33, 8), // QUERY_INTVL
            java.util.Map.entry(34, 8), // QUERY_RESPONSE_INTVL
            java.util.Map.entry(35, 8)); // STARTUP_QUERY_INTVL

    /**
     * Without the group forwarding mask and group address (IFLA_BR_GROUP_FWD_MASK/ADDR) and
     * multicast tuning attributes.
     */
    public Bridge(
        Integer stpState,
        Integer forwardDelay,
        Integer helloTime,
        Integer maxAge,
        Integer priority,
        Integer ageingTime,
        Boolean vlanFiltering,
        Integer vlanProtocol,
        Integer defaultPvid,
        Boolean multicastSnooping) {
      this(
          stpState,
          forwardDelay,
          helloTime,
          maxAge,
          priority,
          ageingTime,
          vlanFiltering,
          vlanProtocol,
          defaultPvid,
          multicastSnooping,
          null,
          null,
          java.util.Map.of());
    }

    public static Bridge defaults() {
      return new Bridge(null, null, null, null, null, null, null, null, null, null);
    }

    @Override
    public String kind() {
      return "bridge";
    }
  }

  /** A veth pair; {@code peerName} is only used on create (the kernel does not report it). */
  record Veth(String peerName, HwAddr peerMac) implements LinkKind {
    public static Veth peer(String name) {
      return new Veth(name, null);
    }

    @Override
    public String kind() {
      return "veth";
    }
  }

  /** 802.1Q/802.1ad VLAN on the link's parent; protocol 0x8100 (default) or 0x88a8. */
  record Vlan(int id, Integer protocol) implements LinkKind {
    public Vlan {
      if (id < 0 || id > 4094) {
        throw new IllegalArgumentException("vlan.id: " + id + " out of 0..4094");
      }
    }

    @Override
    public String kind() {
      return "vlan";
    }
  }

  /**
   * macvlan, or macvtap when {@code tap}; {@code flags} IFLA_MACVLAN_FLAGS (1: NOPROMISC, only in
   * passthru mode), null when not set / not reported.
   */
  record Macvlan(MacvlanMode mode, boolean tap, Integer flags) implements LinkKind {
    public static final int FLAG_NOPROMISC = 1;

    public Macvlan(MacvlanMode mode, boolean tap) {
      this(mode, tap, null);
    }

    @Override
    public String kind() {
      return tap ? "macvtap" : "macvlan";
    }
  }

  /** VXLAN; {@code remote} is the group/remote (IFLA_VXLAN_GROUP[6]). */
  record Vxlan(
      int vni,
      java.net.InetAddress local,
      java.net.InetAddress remote,
      Integer port,
      Boolean learning,
      Integer underlayIndex)
      implements LinkKind {
    @Override
    public String kind() {
      return "vxlan";
    }
  }

  record Dummy() implements LinkKind {
    @Override
    public String kind() {
      return "dummy";
    }
  }

  /**
   * Bond with common options; mode is 0..6 (balance-rr .. balance-alb). {@code more}: the other
   * IFLA_BOND_* options by attribute type, as {@link BondOptions} spells their values (only those
   * given are sent).
   */
  record Bond(
      BondMode mode,
      Integer miimon,
      Integer updelay,
      Integer downdelay,
      Integer xmitHashPolicy,
      Integer minLinks,
      Integer lacpRate,
      java.util.Map<Integer, String> more)
      implements LinkKind {
    public Bond {
      more =
          more == null
              ? java.util.Map.of()
              : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(more));
    }

    /** Without the other options. */
    public Bond(
        BondMode mode,
        Integer miimon,
        Integer updelay,
        Integer downdelay,
        Integer xmitHashPolicy,
        Integer minLinks,
        Integer lacpRate) {
      this(mode, miimon, updelay, downdelay, xmitHashPolicy, minLinks, lacpRate, null);
    }

    public static Bond of(BondMode mode) {
      return new Bond(mode, null, null, null, null, null, null);
    }

    @Override
    public String kind() {
      return "bond";
    }
  }

  /** A VRF device; {@code table} is its routing table (IFLA_VRF_TABLE), fixed at creation. */
  record Vrf(Integer table) implements LinkKind {
    @Override
    public String kind() {
      return "vrf";
    }
  }

  /**
   * ipvlan on the link's parent: {@code mode} IPVLAN_MODE_L2 (0), L3 (1), L3S (2); {@code flags}
   * IPVLAN_F_PRIVATE (1), IPVLAN_F_VEPA (2), null when not set / not reported.
   */
  record Ipvlan(Integer mode, Integer flags) implements LinkKind {
    public static final int F_PRIVATE = 1;
    public static final int F_VEPA = 2;

    @Override
    public String kind() {
      return "ipvlan";
    }
  }

  /**
   * HSR/PRP over two ports (ifindexes); {@code protocol} 0 HSR, 1 PRP; {@code multicastSpec} the
   * last byte of the supervision address (sent on create; read back from {@code supervision}).
   */
  record Hsr(
      Integer port1, Integer port2, Integer multicastSpec, Integer protocol, HwAddr supervision)
      implements LinkKind {
    @Override
    public String kind() {
      return "hsr";
    }
  }

  /**
   * MACsec on the link's parent. {@code port} is the SCI port (sent as IFLA_MACSEC_PORT; read from
   * the SCI's last two bytes); {@code validation} 0 disabled, 1 check, 2 strict; {@code offload} 0
   * off, 1 phy, 2 mac; {@code includeSci} is send-sci.
   */
  record Macsec(
      Integer port, Boolean encrypt, Boolean includeSci, Integer validation, Integer offload)
      implements LinkKind {
    @Override
    public String kind() {
      return "macsec";
    }
  }

  /** An IPoIB partition child: {@code pkey}, {@code mode} 0 datagram, 1 connected. */
  record Ipoib(Integer pkey, Integer mode) implements LinkKind {
    @Override
    public String kind() {
      return "ipoib";
    }
  }

  /** Any kind this library does not decode (tun, ipip, ...), or none (physical, loopback). */
  record Other(String kind) implements LinkKind {}

  enum MacvlanMode {
    PRIVATE(1),
    VEPA(2),
    BRIDGE(4),
    PASSTHRU(8),
    SOURCE(16);

    public final int value;

    MacvlanMode(int value) {
      this.value = value;
    }

    public static MacvlanMode of(int value) {
      for (var m : values()) {
        if (m.value == value) {
          return m;
        }
      }
      throw new MalformedMessageException("macvlan mode " + value);
    }
  }

  enum BondMode {
    BALANCE_RR,
    ACTIVE_BACKUP,
    BALANCE_XOR,
    BROADCAST,
    LACP_802_3AD,
    BALANCE_TLB,
    BALANCE_ALB
  }
}
