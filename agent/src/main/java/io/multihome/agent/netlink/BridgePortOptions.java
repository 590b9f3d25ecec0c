package io.multihome.agent.netlink;

/**
 * Options of a bridge port (IFLA_BRPORT_*), set through IFLA_INFO_SLAVE_DATA and read back the same
 * way. {@code null} = leave / not reported. state: 0 disabled .. 4 blocking (BR_STATE_*).
 */
public record BridgePortOptions(
    Integer state,
    Integer priority,
    Integer cost,
    Boolean hairpin,
    Boolean guard,
    Boolean rootBlock,
    Boolean fastLeave,
    Boolean learning,
    Boolean unicastFlood) {
  public static BridgePortOptions none() {
    return new BridgePortOptions(null, null, null, null, null, null, null, null, null);
  }

  void write(MessageBuilder b) {
    if (state != null) b.attrU8(Rtnl.BrPort.STATE, state);
    if (priority != null) b.attrU16(Rtnl.BrPort.PRIORITY, priority);
    if (cost != null) b.attrU32(Rtnl.BrPort.COST, cost);
    if (hairpin != null) b.attrU8(Rtnl.BrPort.MODE, hairpin ? 1 : 0);
    if (guard != null) b.attrU8(Rtnl.BrPort.GUARD, guard ? 1 : 0);
    if (rootBlock != null) b.attrU8(Rtnl.BrPort.PROTECT, rootBlock ? 1 : 0);
    if (fastLeave != null) b.attrU8(Rtnl.BrPort.FAST_LEAVE, fastLeave ? 1 : 0);
    if (learning != null) b.attrU8(Rtnl.BrPort.LEARNING, learning ? 1 : 0);
    if (unicastFlood != null) b.attrU8(Rtnl.BrPort.UNICAST_FLOOD, unicastFlood ? 1 : 0);
  }

  static BridgePortOptions read(Attrs a) {
    return new BridgePortOptions(
        a.u8(Rtnl.BrPort.STATE),
        a.u16(Rtnl.BrPort.PRIORITY),
        a.u32(Rtnl.BrPort.COST),
        bool(a.u8(Rtnl.BrPort.MODE)),
        bool(a.u8(Rtnl.BrPort.GUARD)),
        bool(a.u8(Rtnl.BrPort.PROTECT)),
        bool(a.u8(Rtnl.BrPort.FAST_LEAVE)),
        bool(a.u8(Rtnl.BrPort.LEARNING)),
        bool(a.u8(Rtnl.BrPort.UNICAST_FLOOD)));
  }

  static Boolean bool(Integer v) {
    return v == null ? null : v != 0;
  }
}
