/**
 * A small rtnetlink (NETLINK_ROUTE) library on jnr-ffi: links, addresses, routes, rules, bridge
 * port VLANs, SR-IOV VF settings, namespaces and change events.
 *
 * <h2>Connections and namespaces</h2>
 *
 * <ul>
 *   <li>{@link io.multihome.agent.netlink.RtNetlink#openNamed(String)} / {@link
 *       io.multihome.agent.netlink.RtNetlink#open(NetNs)} / {@link
 *       io.multihome.agent.netlink.RtNetlink#open()} return an {@code AutoCloseable} connection
 *       bound in one namespace. The socket is opened on a dedicated platform thread that switches
 *       into the namespace ({@code setns}) and back in {@code finally}; the connection can then be
 *       used from any thread (calls are serialized).
 *   <li>{@link io.multihome.agent.netlink.NetNs}: open by name ({@code /var/run/netns/NAME}), path
 *       or pid; {@link io.multihome.agent.netlink.NetNs#call} runs code inside it.
 *   <li>{@link io.multihome.agent.netlink.NamedNetns}: create/delete named namespaces (delegates to
 *       {@code ip netns add/del}; see the class for why).
 * </ul>
 *
 * <h2>Operations</h2>
 *
 * <ul>
 *   <li>{@code nl.links()}: {@code list()}, {@code get(name|index)}, {@code find(name)}, {@code
 *       add(LinkSpec)}, {@code delete}, {@code setUp/setDown}, {@code setMtu}, {@code setMac},
 *       {@code setTxQueueLen}, {@code setMaster/setNoMaster}, {@code rename}, {@code
 *       setBridgeOptions}, {@code setBridgePort}, {@code moveToNetns}, {@code setVf}. Kinds are the
 *       sealed {@link io.multihome.agent.netlink.LinkKind}: Bridge, Veth, Vlan, Macvlan (macvtap
 *       with {@code tap=true}), Vxlan, Dummy, Bond, Other; the same records are read back in {@link
 *       io.multihome.agent.netlink.Link#kind()}.
 *   <li>{@code nl.addresses()}: {@code list()}, {@code list(index)}, {@code add}, {@code replace},
 *       {@code delete} with {@link io.multihome.agent.netlink.IpPrefix}.
 *   <li>{@code nl.routes()}: {@code list(family)} (every table), {@code list(family, table)},
 *       {@code add}, {@code replace}, {@code delete} with {@link io.multihome.agent.netlink.Route}
 *       (table, metric, gateway, dev, scope, type, protocol, prefsrc, src).
 *   <li>{@code nl.rules()}: {@code list(family)}, {@code add}, {@code delete} with {@link
 *       io.multihome.agent.netlink.Rule}.
 *   <li>{@code nl.bridgeVlans()}: {@code list()}, {@code add}, {@code delete} (AF_BRIDGE
 *       IFLA_AF_SPEC, ranges).
 * </ul>
 *
 * <h2>Bulk changes</h2>
 *
 * Every change has a static {@link io.multihome.agent.netlink.Request} factory ({@code
 * LinkOps.addRequest}, {@code AddressOps.addRequest}, {@code RouteOps.addRequest}, ...). {@link
 * io.multihome.agent.netlink.RtNetlink#executeAll} sends them pipelined (windows of 64 messages per
 * datagram, then their acks) and returns each failure; this is what makes 1000 creates cost about
 * what one {@code ip -batch} does.
 *
 * <h2>Errors</h2>
 *
 * A kernel error is a {@link io.multihome.agent.netlink.NetlinkException} with the operation, the
 * target, the errno name and the extended-ack text, e.g. {@code link add br0 (bridge): EEXIST: File
 * exists}. Bad input (names, prefixes, VLAN ids) throws {@code IllegalArgumentException} naming the
 * field before anything is sent. Malformed kernel data throws {@link
 * io.multihome.agent.netlink.MalformedMessageException}; no length is trusted past the buffer.
 * Dumps flagged NLM_F_DUMP_INTR are redone.
 *
 * <h2>Events</h2>
 *
 * {@link io.multihome.agent.netlink.NetlinkEvents#subscribe} delivers typed {@link
 * io.multihome.agent.netlink.NetlinkEvent}s for the chosen groups on one reader thread; an {@code
 * Overrun} event means notifications were lost (ENOBUFS) and the caller must resync with dumps.
 *
 * <h2>Tests</h2>
 *
 * {@link io.multihome.agent.netlink.KernelFeatures#probe} tells which kinds this kernel can create
 * (vlan, dummy, bond, bridge vlan_filtering) so tests can skip naming the missing feature.
 */
package io.multihome.agent.netlink;
