package io.multihome.agent.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription to rtnetlink multicast groups in one namespace. Events are decoded and handed to
 * the listener on one dedicated reader thread, in kernel order. Close to stop.
 */
public final class NetlinkEvents implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NetlinkEvents.class);
  private static final int POLL_MILLIS = 200;

  private final NetlinkSocket socket;
  private final Consumer<NetlinkEvent> listener;
  private final Thread reader;
  private volatile boolean stopping;

  private NetlinkEvents(NetlinkSocket socket, Consumer<NetlinkEvent> listener, String ns) {
    this.socket = socket;
    this.listener = listener;
    this.reader = new Thread(this::run, "netlink-events-" + ns);
    reader.setDaemon(true);
  }

  /**
   * Subscribes in {@code ns}. {@code receiveBuffer} bytes of socket buffer (0 = kernel default)
   * decide how far the listener may fall behind before an {@link NetlinkEvent.Overrun}.
   */
  public static NetlinkEvents subscribe(
      NetNs ns,
      Set<NetlinkEvent.Group> groups,
      int receiveBuffer,
      Consumer<NetlinkEvent> listener) {
    int mask = 0;
    for (var g : groups) {
      mask |= 1 << (g.number - 1);
    }
    NetlinkSocket s = ns.openSocket(NetlinkSocket.NETLINK_ROUTE, mask);
    try {
      s.setReceiveTimeout(POLL_MILLIS);
      if (receiveBuffer > 0) {
        s.setReceiveBuffer(receiveBuffer);
      }
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    var events = new NetlinkEvents(s, listener, ns.toString());
    events.reader.start();
    return events;
  }

  private void run() {
    try {
      readLoop();
    } finally {
      // only the reader closes the fd, so a recv can never hit a reused descriptor number
      socket.close();
    }
  }

  private void readLoop() {
    ByteBuffer rx = ByteBuffer.allocateDirect(256 * 1024);
    while (!stopping) {
      int n;
      try {
        n = socket.receive(rx);
      } catch (NetlinkException e) {
        if (e.errno() == Errno.ENOBUFS) {
          deliver(new NetlinkEvent.Overrun());
          continue;
        }
        LOG.warn("netlink event socket failed, stopping: {}", e.getMessage());
        return;
      }
      if (n < 0) {
        continue;
      }
      var copy = ByteBuffer.allocate(n).order(ByteOrder.nativeOrder());
      copy.put(rx).flip();
      try {
        for (NlMessage m : NlMessage.parseAll(copy)) {
          NetlinkEvent e = decode(m);
          if (e != null) {
            deliver(e);
          }
        }
      } catch (MalformedMessageException e) {
        deliver(new NetlinkEvent.Undecodable(-1, e.getMessage()));
      }
    }
  }

  static NetlinkEvent decode(NlMessage m) {
    try {
      return switch (m.type()) {
        case Rtnl.RTM_NEWLINK, Rtnl.RTM_DELLINK ->
            new NetlinkEvent.LinkEvent(m.type() == Rtnl.RTM_DELLINK, Link.read(m));
        case Rtnl.RTM_NEWADDR, Rtnl.RTM_DELADDR ->
            new NetlinkEvent.AddressEvent(m.type() == Rtnl.RTM_DELADDR, Address.read(m));
        case Rtnl.RTM_NEWROUTE, Rtnl.RTM_DELROUTE ->
            new NetlinkEvent.RouteEvent(m.type() == Rtnl.RTM_DELROUTE, Route.read(m));
        case Rtnl.RTM_NEWRULE, Rtnl.RTM_DELRULE ->
            new NetlinkEvent.RuleEvent(m.type() == Rtnl.RTM_DELRULE, Rule.read(m));
        default -> null;
      };
    } catch (MalformedMessageException e) {
      return new NetlinkEvent.Undecodable(m.type(), e.getMessage());
    }
  }

  private void deliver(NetlinkEvent e) {
    try {
      listener.accept(e);
    } catch (RuntimeException ex) {
      LOG.warn("netlink event listener threw on {}", e.getClass().getSimpleName(), ex);
    }
  }

  @Override
  public void close() {
    stopping = true;
    try {
      reader.join(2 * POLL_MILLIS + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
