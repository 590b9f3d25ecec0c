package io.multihome.agent.lldp;

import io.multihome.agent.netlink.LibC;
import io.multihome.agent.netlink.NetNs;
import io.multihome.agent.netlink.NetlinkException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An AF_PACKET socket for LLDP (ethertype 0x88cc) on one interface, bound in the interface's
 * network namespace and joined to the three LLDP multicast groups, as systemd's and
 * NetworkManager's listeners do. Receives whole frames; also sends (tests play the neighbour).
 */
public final class LldpSocket implements AutoCloseable {
  private static final int AF_PACKET = 17;
  private static final int SOCK_RAW = 3;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int SOL_SOCKET = 1;
  private static final int SO_RCVTIMEO = 20;
  private static final int SOL_PACKET = 263;
  private static final int PACKET_ADD_MEMBERSHIP = 1;
  private static final int PACKET_MR_MULTICAST = 0;

  /** htons(0x88cc) as the int the kernel reads in host order. */
  private static final int PROTO =
      Short.toUnsignedInt(Short.reverseBytes((short) LldpFrame.ETHERTYPE));

  private final int fd;
  private final int ifindex;
  private final ByteBuffer rx = ByteBuffer.allocateDirect(9216);
  private volatile boolean closed;

  private LldpSocket(int fd, int ifindex) {
    this.fd = fd;
    this.ifindex = ifindex;
  }

  /**
   * Opens the socket on interface {@code ifindex} of network namespace {@code netns} (null: the
   * process's); {@code recv} gives up after {@code timeoutMillis} so the reader can stop.
   */
  public static LldpSocket open(String netns, int ifindex, long timeoutMillis) {
    if (netns == null) {
      return openHere(ifindex, timeoutMillis);
    }
    try (var ns = NetNs.named(netns)) {
      return ns.call(() -> openHere(ifindex, timeoutMillis));
    }
  }

  private static LldpSocket openHere(int ifindex, long timeoutMillis) {
    int fd = LibC.INSTANCE.socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, PROTO);
    if (fd < 0) {
      throw new NetlinkException("packet socket", "lldp", LibC.errno(), null);
    }
    var s = new LldpSocket(fd, ifindex);
    try {
      byte[] ll = sockaddr(ifindex, null);
      if (LibC.INSTANCE.bind(fd, ll, ll.length) < 0) {
        throw new NetlinkException("packet bind", "ifindex " + ifindex, LibC.errno(), null);
      }
      for (var group : LldpFrame.DESTINATIONS) {
        var mreq =
            ByteBuffer.allocate(16)
                .order(ByteOrder.nativeOrder())
                .putInt(ifindex)
                .putShort((short) PACKET_MR_MULTICAST)
                .putShort((short) 6)
                .put(group)
                .array();
        if (LibC.INSTANCE.setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, mreq, mreq.length)
            < 0) {
          throw new NetlinkException("packet membership", "ifindex " + ifindex, LibC.errno(), null);
        }
      }
      var tv =
          ByteBuffer.allocate(16)
              .order(ByteOrder.nativeOrder())
              .putLong(timeoutMillis / 1000)
              .putLong((timeoutMillis % 1000) * 1000)
              .array();
      if (LibC.INSTANCE.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, tv.length) < 0) {
        throw new NetlinkException("packet timeout", "ifindex " + ifindex, LibC.errno(), null);
      }
      return s;
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** struct sockaddr_ll for {@code ifindex}, with a destination MAC when sending. */
  private static byte[] sockaddr(int ifindex, byte[] mac) {
    var b =
        ByteBuffer.allocate(20)
            .order(ByteOrder.nativeOrder())
            .putShort((short) AF_PACKET)
            .putShort((short) PROTO)
            .putInt(ifindex)
            .putShort((short) 0)
            .put((byte) 0)
            .put((byte) (mac == null ? 0 : 6));
    if (mac != null) {
      b.put(mac);
    }
    return b.array();
  }

  /** The next frame (Ethernet header included), or null after the timeout or once closed. */
  public byte[] receive() {
    if (closed) {
      return null;
    }
    rx.clear();
    long n = LibC.INSTANCE.recv(fd, rx, rx.capacity(), 0);
    if (n <= 0) {
      return null;
    }
    var out = new byte[(int) n];
    rx.limit((int) n);
    rx.get(out);
    return out;
  }

  /** Sends a whole frame (Ethernet header included) out of the interface. */
  public void send(byte[] frame) {
    var buf = ByteBuffer.allocateDirect(frame.length).put(frame).flip();
    byte[] addr = sockaddr(ifindex, java.util.Arrays.copyOfRange(frame, 0, 6));
    long n = LibC.INSTANCE.sendto(fd, buf, frame.length, 0, addr, addr.length);
    if (n != frame.length) {
      throw new NetlinkException("packet send", "ifindex " + ifindex, LibC.errno(), null);
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      LibC.INSTANCE.close(fd);
    }
  }
}
