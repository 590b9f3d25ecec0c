package io.multihome.agent.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A NETLINK_ROUTE connection bound in one network namespace. Thread-safe (calls are serialized);
 * close it when done. Typed operations live in {@link #links()}, {@link #addresses()}, {@link
 * #routes()}, {@link #rules()} and {@link #bridgeVlans()}; {@link #executeAll} pipelines many
 * requests (send a window, then read its acks) for bulk changes.
 */
public final class RtNetlink implements AutoCloseable {
  private static final int WINDOW = 64;
  private static final int WINDOW_BYTES = 48 * 1024;
  private static final int MAX_DUMP_ATTEMPTS = 10;

  private final NetlinkSocket socket;
  private final ByteBuffer rx = ByteBuffer.allocateDirect(256 * 1024);
  private final MessageBuilder tx = new MessageBuilder(64 * 1024);
  private final String namespace;
  private int seq = (int) (System.nanoTime() & 0x3fffffff);

  private RtNetlink(NetlinkSocket socket, String namespace) {
    this.socket = socket;
    this.namespace = namespace;
    try {
      socket.setOption(Rtnl.SOL_NETLINK, Rtnl.NETLINK_EXT_ACK, 1);
      socket.setOption(Rtnl.SOL_NETLINK, Rtnl.NETLINK_CAP_ACK, 1);
      socket.setReceiveBuffer(4 * 1024 * 1024);
    } catch (RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** A connection in the calling thread's network namespace. */
  public static RtNetlink open() {
    return new RtNetlink(NetlinkSocket.openHere(NetlinkSocket.NETLINK_ROUTE, 0), "current");
  }

  public static RtNetlink open(NetNs ns) {
    return new RtNetlink(ns.openSocket(NetlinkSocket.NETLINK_ROUTE, 0), ns.toString());
  }

  /**
   * A generic netlink (NETLINK_GENERIC) connection in {@code netns} (null: the calling thread's):
   * the same request/ack/dump mechanics, for families such as {@code ethtool} ({@link Ethtool}).
   */
  public static RtNetlink openGeneric(String netns) {
    if (netns == null) {
      return new RtNetlink(NetlinkSocket.openHere(NetlinkSocket.NETLINK_GENERIC, 0), "current");
    }
    try (NetNs ns = NetNs.named(netns)) {
      return new RtNetlink(ns.openSocket(NetlinkSocket.NETLINK_GENERIC, 0), ns.toString());
    }
  }

  /** A connection in the namespace {@code /var/run/netns/NAME}. */
  public static RtNetlink openNamed(String name) {
    try (NetNs ns = NetNs.named(name)) {
      return open(ns);
    }
  }

  public LinkOps links() {
    return new LinkOps(this);
  }

  public AddressOps addresses() {
    return new AddressOps(this);
  }

  public RouteOps routes() {
    return new RouteOps(this);
  }

  public RuleOps rules() {
    return new RuleOps(this);
  }

  public BridgeVlanOps bridgeVlans() {
    return new BridgeVlanOps(this);
  }

  /** Sends one request and waits for its ack; throws the kernel's error. */
  public void execute(Request r) {
    exchange(r);
  }

  /**
   * Sends one request with an ack requested and returns the replies that came before the ack (e.g.
   * the RTM_NEWLINK answering a RTM_GETLINK).
   */
  public synchronized List<NlMessage> exchange(Request r) {
    int s = nextSeq();
    tx.reset();
    r.writeTo(tx, s, Rtnl.NLM_F_ACK);
    byte[] out = tx.toBytes();
    socket.send(out, out.length);
    var replies = new ArrayList<NlMessage>();
    while (true) {
      for (NlMessage m : receiveBatch()) {
        if (m.seq() != s) {
          continue; // a late reply to an earlier, abandoned request
        }
        if (m.type() == Rtnl.NLMSG_ERROR) {
          int err = Acks.error(m);
          if (err < 0) {
            throw Acks.toException(r, m, err);
          }
          return replies;
        }
        replies.add(m);
      }
    }
  }

  /**
   * Sends the requests pipelined (windows of up to 64 messages in one datagram), reads every ack
   * and returns the failures in request order; an empty list means all succeeded. Requests are
   * independent: a failure does not stop later ones.
   */
  public synchronized List<NetlinkException> executeAll(List<Request> requests) {
    var failures = new ArrayList<NetlinkException>();
    int i = 0;
    while (i < requests.size()) {
      tx.reset();
      int firstIndex = i;
      int firstSeq = seq + 1;
      while (i < requests.size() && i - firstIndex < WINDOW && tx.size() < WINDOW_BYTES) {
        requests.get(i).writeTo(tx, nextSeq(), Rtnl.NLM_F_ACK);
        i++;
      }
      int count = i - firstIndex;
      byte[] out = tx.toBytes();
      socket.send(out, out.length);
      int pending = count;
      while (pending > 0) {
        for (NlMessage m : receiveBatch()) {
          int k = m.seq() - firstSeq;
          if (m.type() != Rtnl.NLMSG_ERROR || k < 0 || k >= count) {
            continue;
          }
          pending--;
          int err = Acks.error(m);
          if (err < 0) {
            failures.add(Acks.toException(requests.get(firstIndex + k), m, err));
          }
        }
      }
    }
    return failures;
  }

  /** Like {@link #executeAll} but throws the first failure (after all were attempted). */
  public void executeAllOrThrow(List<Request> requests) {
    var failures = executeAll(requests);
    if (!failures.isEmpty()) {
      NetlinkException first = failures.get(0);
      failures.stream().skip(1).forEach(first::addSuppressed);
      throw first;
    }
  }

  /**
   * Runs a dump to NLMSG_DONE and returns every message. A dump the kernel flags NLM_F_DUMP_INTR
   * (state changed while dumping) is redone, up to 10 times.
   */
  public synchronized List<NlMessage> dump(Request r) {
    for (int attempt = 0; attempt < MAX_DUMP_ATTEMPTS; attempt++) {
      int s = nextSeq();
      tx.reset();
      r.writeTo(tx, s, Rtnl.NLM_F_DUMP);
      byte[] out = tx.toBytes();
      socket.send(out, out.length);
      var dump = new DumpAssembler(r, s);
      while (!dump.accept(receiveBatch())) {
        // keep reading until NLMSG_DONE
      }
      if (!dump.interrupted()) {
        return dump.messages();
      }
    }
    throw new NetlinkException(
        r.operation(), r.target() + " (dump kept changing)", Errno.EINTR, null);
  }

  private int nextSeq() {
    seq = (seq + 1) & 0x7fffffff;
    return seq;
  }

  /** One datagram, copied off the native buffer so the views outlive the next receive. */
  private List<NlMessage> receiveBatch() {
    int n;
    do {
      n = socket.receive(rx);
    } while (n < 0 && !socket.isClosed());
    if (n < 0) {
      throw new IllegalStateException("netlink connection to " + namespace + " closed");
    }
    var copy = ByteBuffer.allocate(n).order(ByteOrder.nativeOrder());
    copy.put(rx).flip();
    return NlMessage.parseAll(copy);
  }

  /** Where this connection is bound, for messages. */
  public String namespace() {
    return namespace;
  }

  @Override
  public void close() {
    socket.close();
  }
}
