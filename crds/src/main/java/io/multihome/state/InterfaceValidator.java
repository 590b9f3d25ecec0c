package io.multihome.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Per-interface rules of {@link StateValidator}. */
final class InterfaceValidator {

  private static final Pattern MAC = Pattern.compile("([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}");
  private static final Pattern SRIOV_VF = Pattern.compile("sriov:([^:]+):(\\d+)");
  static final Set<String> VLAN_PROTOCOLS = Set.of("802.1q", "802.1ad");
  static final Set<String> BOND_OPTIONS =
      Set.of(
          "ad_actor_sys_prio",
          "ad_actor_system",
          "ad_select",
          "ad_user_port_key",
          "all_slaves_active",
          "arp_all_targets",
          "arp_interval",
          "arp_ip_target",
          "arp_missed_max",
          "arp_validate",
          "balance_slb",
          "downdelay",
          "fail_over_mac",
          "lacp_active",
          "lacp_rate",
          "lp_interval",
          "miimon",
          "min_links",
          "ns_ip6_target",
          "num_grat_arp",
          "num_unsol_na",
          "packets_per_slave",
          "peer_notif_delay",
          "primary",
          "primary_reselect",
          "resend_igmp",
          "tlb_dynamic_lb",
          "updelay",
          "use_carrier",
          "xmit_hash_policy");

  private final StateValidator v;

  InterfaceValidator(StateValidator v) {
    this.v = v;
  }

  void check(Interface iface, String at) {
    var c = iface.common();
    if (iface instanceof Interface.Unsupported) {
      if (c.type() != null) {
        v.problem(Problem.child(at, "type"), unsupportedType(c.type()));
      }
      return;
    }
    // An ipsec interface names a libreswan connection, not a kernel link.
    if (c.name() != null
        && !OptionsValidator.profileNamed(c)
        && !(iface instanceof Interface.Ipsec)) {
      var bad = nameProblem(c.name());
      if (bad != null) {
        v.problem(Problem.child(at, "name"), bad);
      }
    }
    if (c.isAbsent() || c.state() == InterfaceState.IGNORE) {
      // nmstate ignores everything but name and type of an interface it removes or leaves alone.
      return;
    }
    v.reportExtras(at, c.extras());
    checkCommon(iface, c, at);
    if (iface instanceof Interface.Ethernet e) {
      checkEthernet(e.ethernet(), Problem.child(at, "ethernet"));
    } else if (iface instanceof Interface.LinuxBridge b) {
      new BridgeValidator(v).check(c.name(), b.bridge(), Problem.child(at, "bridge"));
    } else if (iface instanceof Interface.Vlan vl) {
      requiredWhenNew(c, at, "vlan", vl.vlan(), "id", "base-iface");
      checkVlan(c.name(), vl.vlan(), Problem.child(at, "vlan"));
    } else if (iface instanceof Interface.Veth ve) {
      checkVeth(c, ve.veth(), at);
    } else if (iface instanceof Interface.MacVlan m) {
      requiredWhenNew(c, at, "mac-vlan", m.macVlan(), "base-iface", "mode");
      checkMacVlan(c.name(), m.macVlan(), Problem.child(at, "mac-vlan"));
    } else if (iface instanceof Interface.MacVtap m) {
      requiredWhenNew(c, at, "mac-vtap", m.macVtap(), "base-iface", "mode");
      checkMacVlan(c.name(), m.macVtap(), Problem.child(at, "mac-vtap"));
    } else if (iface instanceof Interface.Vxlan x) {
      requiredWhenNew(c, at, "vxlan", x.vxlan(), "id");
      checkVxlan(c.name(), x.vxlan(), Problem.child(at, "vxlan"));
    } else if (iface instanceof Interface.Bond b) {
      checkBond(c, b.linkAggregation(), at);
    } else if (iface instanceof Interface.OvsBridge b) {
      new OvsValidator(v).bridge(b, at);
    } else if (iface instanceof Interface.OvsInterface o) {
      new OvsValidator(v).iface(o, at);
    } else if (iface instanceof Interface.Ipsec x) {
      new IpsecValidator(v).check(c, x.libreswan(), at);
    } else if (KindValidator.handles(iface)) {
      new KindValidator(v, this).check(c, iface, at);
    } else if (iface instanceof Interface.Loopback && c.name() != null && !"lo".equals(c.name())) {
      v.problem(Problem.child(at, "name"), "type loopback is only valid for interface 'lo'");
    }
  }

  static String unsupportedType(InterfaceType type) {
    if (type == InterfaceType.UNKNOWN || type == InterfaceType.TUN) {
      return "interface type '"
          + type.wire()
          + "' is not supported: nmstate reports it but"
          + " cannot apply it";
    }
    return "interface type '" + type.wire() + "' is not supported yet by multihome";
  }

  /** Why {@code name} cannot be a Linux interface name, or null. */
  static String nameProblem(String name) {
    var m = SRIOV_VF.matcher(name);
    if (m.matches()) {
      // sriov:<pf>:<vf> names a VF of a physical function; the PF part follows the usual rules.
      var pf = nameProblem(m.group(1));
      return pf == null ? null : "PF name in '" + name + "': " + pf;
    }
    if (name.startsWith("sriov:")) {
      return "'" + name + "' is not a VF reference; the form is sriov:<pf-name>:<vf-id>";
    }
    if (name.isEmpty()) {
      return "must not be empty";
    }
    if (name.equals(".") || name.equals("..")) {
      return "'" + name + "' is not a valid interface name";
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > 15) {
      return "'" + name + "' is " + bytes + " bytes long; Linux allows at most 15";
    }
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (ch == '/') {
        return "'" + name + "' must not contain '/'";
      }
      if (Character.isWhitespace(ch)) {
        return "'" + name + "' must not contain whitespace";
      }
      if (ch == ':') {
        return "'" + name + "' must not contain ':' (only VF references like sriov:eth1:0 may)";
      }
    }
    return null;
  }

  private void checkCommon(Interface iface, Common c, String at) {
    boolean loopback = iface instanceof Interface.Loopback;
    v.range(at, "mtu", c.mtu(), 68, loopback ? 65536 : 65535);
    if (c.mtu() != null
        && c.mtu() < 1280
        && c.ipv6() != null
        && Boolean.TRUE.equals(c.ipv6().enabled())) {
      v.problem(
          Problem.child(at, "mtu"), c.mtu() + " is below 1280, the minimum MTU with IPv6 enabled");
    }
    mac(Problem.child(at, "mac-address"), c.macAddress());
    // An OVS internal port carries IP although it sits in a bridge, and may share the name of
    // its bridge (br-ex).
    boolean ovsInternal = iface instanceof Interface.OvsInterface;
    boolean ovsBridge = iface instanceof Interface.OvsBridge;
    if (c.controller() != null && !c.controller().isEmpty()) {
      if (c.controller().equals(c.name()) && !ovsInternal) {
        v.problem(Problem.child(at, "controller"), "an interface cannot be its own controller");
      }
      v.reference(Problem.child(at, "controller"), c.controller(), "controller");
    }
    boolean port =
        !ovsInternal
            && !ovsBridge
            && ((c.controller() != null && !c.controller().isEmpty())
                || (c.name() != null && v.ports.contains(c.name())));
    checkIp(c.ipv4(), Problem.child(at, "ipv4"), false, port);
    checkIp(c.ipv6(), Problem.child(at, "ipv6"), true, port);
    new OptionsValidator(v).check(iface, c, at);
    KindValidator.mptcp(v, c.mptcpAddressFlags(), Problem.child(at, "mptcp.address-flags"));
  }

  void mac(String path, String mac) {
    if (mac != null && !MAC.matcher(mac).matches()) {
      v.problem(
          path,
          "'" + mac + "' is not a MAC address (expected six hex pairs like 02:00:5e:10:00:01)");
    }
  }

  private void checkIp(IpConfig ip, String at, boolean v6, boolean port) {
    if (ip == null) {
      return;
    }
    v.reportExtras(at, ip.extras());
    int family = v6 ? 6 : 4;
    if (port && Boolean.TRUE.equals(ip.enabled())) {
      v.problem(
          Problem.child(at, "enabled"),
          "a port of a bridge or bond cannot have IP; set enabled: false or leave the section out");
    }
    if (Boolean.FALSE.equals(ip.enabled())) {
      // nmstate ignores the rest of a disabled IP section.
      return;
    }
    if (ip.addrGenMode() != null && !Set.of("eui64", "stable-privacy").contains(ip.addrGenMode())) {
      v.problem(
          Problem.child(at, "addr-gen-mode"),
          "'" + ip.addrGenMode() + "' is not one of eui64, stable-privacy");
    }
    if (v6 && Boolean.TRUE.equals(ip.autoconf()) && Boolean.FALSE.equals(ip.dhcp())) {
      v.problem(Problem.child(at, "autoconf"), "autoconf: true needs dhcp: true in nmstate");
    }
    v.range(at, "auto-route-table-id", ip.autoRouteTableId(), 0, 0xFFFFFFFFL);
    v.range(at, "auto-route-metric", ip.autoRouteMetric(), 0, 0xFFFFFFFFL);
    DhcpIdentifiers.check(v, at, v6, ip);
    if (ip.address() == null) {
      return;
    }
    var seen = new HashSet<String>();
    for (int i = 0; i < ip.address().size(); i++) {
      var a = ip.address().get(i);
      var ap = Problem.index(Problem.child(at, "address"), i);
      boolean wrongFamily = false;
      if (a.ip() != null) {
        var bytes = IpText.parse(a.ip());
        if (bytes == null) {
          v.problem(Problem.child(ap, "ip"), "'" + a.ip() + "' is not an IP address");
        } else if ((bytes.length == 16) != v6) {
          wrongFamily = true;
          v.problem(
              Problem.child(ap, "ip"),
              "'"
                  + a.ip()
                  + "' is an IPv"
                  + (bytes.length == 4 ? 4 : 6)
                  + " address in the ipv"
                  + family
                  + " section");
        } else if (!seen.add(Arrays.toString(bytes))) {
          v.problem(Problem.child(ap, "ip"), "'" + a.ip() + "' is listed twice");
        }
      }
      if (!wrongFamily) {
        // The prefix of an address in the wrong section is judged once it is moved.
        v.range(ap, "prefix-length", a.prefixLength(), 0, v6 ? 128 : 32);
      }
      v.reportExtras(ap, a.extras());
    }
  }

  private void checkEthernet(EthernetConfig e, String at) {
    if (e == null) {
      return;
    }
    v.reportExtras(at, e.extras());
    v.range(at, "speed", e.speed(), 0, Integer.MAX_VALUE);
    if (e.duplex() != null && !e.duplex().equals("full") && !e.duplex().equals("half")) {
      v.problem(Problem.child(at, "duplex"), "'" + e.duplex() + "' is not one of full, half");
    }
    var s = e.srIov();
    if (s == null) {
      return;
    }
    var sp = Problem.child(at, "sr-iov");
    v.reportExtras(sp, s.extras());
    v.range(sp, "total-vfs", s.totalVfs(), 0, 65535);
    if (s.vfs() == null) {
      return;
    }
    var ids = new HashSet<Integer>();
    for (int i = 0; i < s.vfs().size(); i++) {
      var vf = s.vfs().get(i);
      var vp = Problem.index(Problem.child(sp, "vfs"), i);
      v.reportExtras(vp, vf.extras());
      if (vf.id() != null) {
        if (vf.id() < 0) {
          v.problem(Problem.child(vp, "id"), vf.id() + " is negative");
        } else if (s.totalVfs() != null && vf.id() >= s.totalVfs()) {
          v.problem(
              Problem.child(vp, "id"),
              "VF "
                  + vf.id()
                  + " does not exist with total-vfs "
                  + s.totalVfs()
                  + " (ids are 0.."
                  + (s.totalVfs() - 1)
                  + ")");
        }
        if (!ids.add(vf.id())) {
          v.problem(Problem.child(vp, "id"), "VF " + vf.id() + " is listed twice");
        }
      }
      mac(Problem.child(vp, "mac-address"), vf.macAddress());
      v.range(vp, "vlan-id", vf.vlanId(), 0, 4094);
      v.range(vp, "qos", vf.qos(), 0, 7);
      v.range(vp, "min-tx-rate", vf.minTxRate(), 0, Integer.MAX_VALUE);
      v.range(vp, "max-tx-rate", vf.maxTxRate(), 0, Integer.MAX_VALUE);
      if (vf.minTxRate() != null
          && vf.maxTxRate() != null
          && vf.maxTxRate() > 0
          && vf.minTxRate() > vf.maxTxRate()) {
        v.problem(
            Problem.child(vp, "min-tx-rate"),
            vf.minTxRate() + " is above max-tx-rate " + vf.maxTxRate());
      }
      if (vf.vlanProto() != null && !VLAN_PROTOCOLS.contains(vf.vlanProto())) {
        v.problem(
            Problem.child(vp, "vlan-proto"),
            "'" + vf.vlanProto() + "' is not one of 802.1q, 802.1ad");
      }
    }
  }

  /** Keys a kind needs to be created; an existing interface is merged with the node first. */
  private void requiredWhenNew(Common c, String at, String section, Object config, String... keys) {
    if (c.name() == null || v.exists.test(c.name()) || c.effectiveState() != InterfaceState.UP) {
      return;
    }
    var sp = Problem.child(at, section);
    if (config == null || v.isTemplate(sp)) {
      return;
    }
    for (var key : keys) {
      var kp = Problem.child(sp, key);
      if (!present(config, key) && !v.isTemplate(kp)) {
        v.problem(kp, "is required to create " + section + " '" + c.name() + "'");
      }
    }
  }

  private static boolean present(Object config, String key) {
    if (KindValidator.handlesConfig(config)) {
      return KindValidator.present(config, key);
    }
    if (config instanceof Interface.VlanConfig c) {
      return key.equals("id") ? c.id() != null : c.baseIface() != null;
    }
    if (config instanceof Interface.MacVlanConfig c) {
      return key.equals("mode") ? c.mode() != null : c.baseIface() != null;
    }
    if (config instanceof Interface.VxlanConfig c) {
      return c.id() != null;
    }
    return true;
  }

  private void checkVlan(String name, Interface.VlanConfig vlan, String at) {
    if (vlan == null) {
      return;
    }
    v.range(at, "id", vlan.id(), 1, 4094);
    if (vlan.protocol() != null && !VLAN_PROTOCOLS.contains(vlan.protocol())) {
      v.problem(
          Problem.child(at, "protocol"), "'" + vlan.protocol() + "' is not one of 802.1q, 802.1ad");
    }
    var rp = vlan.registrationProtocol();
    if (rp != null && !Set.of("gvrp", "mvrp", "none").contains(rp)) {
      v.problem(
          Problem.child(at, "registration-protocol"),
          "'" + rp + "' is not one of gvrp, mvrp, none");
    }
    baseIface(name, vlan.baseIface(), at);
  }

  private void baseIface(String name, String base, String at) {
    if (base == null) {
      return;
    }
    if (base.equals(name)) {
      v.problem(Problem.child(at, "base-iface"), "an interface cannot be its own base-iface");
    }
    v.reference(Problem.child(at, "base-iface"), base, "base-iface");
  }

  private void checkVeth(Common c, Interface.VethConfig veth, String at) {
    var peer = veth == null ? null : veth.peer();
    if (peer == null
        && c.effectiveState() == InterfaceState.UP
        && c.name() != null
        && !v.exists.test(c.name())
        && !v.vethPeers.contains(c.name())
        && !v.isTemplate(Problem.child(at, "veth"))
        && !v.isTemplate(Problem.child(at, "veth.peer"))) {
      v.problem(
          Problem.child(at, "veth.peer"),
          "is required to create veth '" + c.name() + "' (the name of the other end of the pair)");
    }
    if (peer != null) {
      var bad = nameProblem(peer);
      if (bad != null) {
        v.problem(Problem.child(at, "veth.peer"), bad);
      } else if (peer.equals(c.name())) {
        v.problem(Problem.child(at, "veth.peer"), "a veth cannot be its own peer");
      }
      v.reference(Problem.child(at, "veth.peer"), peer, "peer");
    }
  }

  private void checkMacVlan(String name, Interface.MacVlanConfig m, String at) {
    if (m == null) {
      return;
    }
    baseIface(name, m.baseIface(), at);
    if (Boolean.FALSE.equals(m.promiscuous())
        && m.mode() != null
        && m.mode() != MacVlanMode.PASSTHRU) {
      v.problem(
          Problem.child(at, "promiscuous"), "promiscuous: false is only allowed in passthru mode");
    }
  }

  private void checkVxlan(String name, Interface.VxlanConfig x, String at) {
    if (x == null) {
      return;
    }
    v.range(at, "id", x.id(), 0, 16777215);
    v.range(at, "destination-port", x.destinationPort(), 0, 65535);
    for (var key : List.of("remote", "local")) {
      var addr = key.equals("remote") ? x.remote() : x.local();
      if (addr != null && IpText.parse(addr) == null) {
        v.problem(Problem.child(at, key), "'" + addr + "' is not an IP address");
      }
    }
    if (x.remote() != null
        && x.local() != null
        && IpText.family(x.remote()) != 0
        && IpText.family(x.local()) != 0
        && IpText.family(x.remote()) != IpText.family(x.local())) {
      v.problem(Problem.child(at, "local"), "local and remote must be of the same IP family");
    }
    baseIface(name, x.baseIface(), at);
  }

  private void checkBond(Common c, Interface.BondConfig b, String at) {
    var lp = Problem.child(at, "link-aggregation");
    boolean isNew = c.name() != null && !v.exists.test(c.name());
    boolean modeMissing =
        (b == null && !v.isTemplate(lp))
            || (b != null && b.mode() == null && !v.isTemplate(Problem.child(lp, "mode")));
    if (isNew && c.effectiveState() == InterfaceState.UP && modeMissing) {
      v.problem(
          Problem.child(lp, "mode"),
          "bond mode is mandatory for a new bond; one of "
              + Arrays.stream(BondMode.values())
                  .map(BondMode::wire)
                  .collect(Collectors.joining(", ")));
    }
    if (b == null) {
      return;
    }
    v.reportExtras(lp, b.extras());
    if (b.options() != null) {
      var op = Problem.child(lp, "options");
      for (var e : b.options().entrySet()) {
        if (!BOND_OPTIONS.contains(e.getKey())) {
          v.problem(Problem.child(op, e.getKey()), "'" + e.getKey() + "' is not a bond option");
        }
      }
      var miimon = b.options().get("miimon");
      var arp = b.options().get("arp_interval");
      if (miimon != null && arp != null && miimon.asLong(0) > 0 && arp.asLong(0) > 0) {
        v.problem(
            Problem.child(op, "arp_interval"), "miimon and arp_interval cannot both be enabled");
      }
    }
    if (b.port() != null) {
      var names = new HashSet<String>();
      for (int i = 0; i < b.port().size(); i++) {
        var p = b.port().get(i);
        var pp = Problem.index(Problem.child(lp, "port"), i);
        if (p == null) {
          continue;
        }
        if (p.equals(c.name())) {
          v.problem(pp, "a bond cannot be its own port");
        } else if (!names.add(p)) {
          v.problem(pp, "port '" + p + "' is listed twice");
        }
        v.reference(pp, p, "port");
      }
    }
    KindValidator.bondPortsConfig(v, b, lp);
  }

  /** {@code base-iface} of a kind that sits on another link. */
  void base(String name, String base, String at) {
    baseIface(name, base, at);
  }

  /** Keys a kind needs to be created (see {@link #requiredWhenNew}). */
  void required(Common c, String at, String section, Object config, String... keys) {
    requiredWhenNew(c, at, section, config, keys);
  }
}
