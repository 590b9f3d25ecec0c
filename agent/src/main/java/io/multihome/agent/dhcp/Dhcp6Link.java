package io.multihome.agent.dhcp;

import io.multihome.agent.netlink.NetNs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHCPv6 client's socket on one interface, opened inside the target's namespace: UDP [::]:546
 * bound to the device, sending to All_DHCP_Relay_Agents_and_Servers (ff02::1:2) port 547 from the
 * interface's link-local address (the kernel picks it), a pipe to wake a waiting receive.
 */
class Dhcp6Link implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dhcp6Link.class);
  private static final byte[] SERVERS = {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2};

  private final String ifname;
  private final int ifindex;
  private final int fd;
  private final int[] pipe;
  private final byte[] buf = new byte[4096];
  private volatile boolean closed;

  Dhcp6Link(String ifname, int ifindex, int fd, int[] pipe) {
    this.ifname = ifname;
    this.ifindex = ifindex;
    this.fd = fd;
    this.pipe = pipe;
  }

  static Dhcp6Link open(String netns, String ifname, int ifindex) {
    if (netns == null) {
      return openHere(ifname, ifindex);
    }
    try (var ns = NetNs.named(netns)) {
      return ns.call(() -> openHere(ifname, ifindex));
    }
  }

  private static Dhcp6Link openHere(String ifname, int ifindex) {
    var lib = SockLib.INSTANCE;
    int fd = lib.socket(SockLib.AF_INET6, SockLib.SOCK_DGRAM | SockLib.SOCK_CLOEXEC, 0);
    if (fd < 0) {
      throw SockLib.failure("UDP6 socket for " + ifname);
    }
    int[] pipe = new int[2];
    try {
      byte[] dev = (ifname + "\0").getBytes(StandardCharsets.US_ASCII);
      check(lib.setsockopt(fd, SockLib.SOL_SOCKET, SockLib.SO_REUSEADDR, PacketLink.intOpt(1), 4));
      check(lib.setsockopt(fd, SockLib.SOL_SOCKET, SockLib.SO_BINDTODEVICE, dev, dev.length));
      check(
          lib.setsockopt(
              fd, SockLib.IPPROTO_IPV6, SockLib.IPV6_MULTICAST_IF, PacketLink.intOpt(ifindex), 4));
      check(
          lib.setsockopt(
              fd, SockLib.IPPROTO_IPV6, SockLib.IPV6_MULTICAST_HOPS, PacketLink.intOpt(1), 4));
      byte[] sin6 = sockaddr6(new byte[16], 546, 0);
      if (lib.bind(fd, sin6, sin6.length) < 0) {
        throw SockLib.failure("bind [::]:546 on " + ifname);
      }
      if (lib.pipe2(pipe, SockLib.SOCK_CLOEXEC | SockLib.SOCK_NONBLOCK) < 0) {
        throw SockLib.failure("pipe");
      }
      return new Dhcp6Link(ifname, ifindex, fd, pipe);
    } catch (RuntimeException e) {
      lib.close(fd);
      throw e;
    }
  }

  private static void check(int r) {
    if (r < 0) {
      throw SockLib.failure("setsockopt");
    }
  }

  private static byte[] sockaddr6(byte[] addr, int port, int scope) {
    return ByteBuffer.allocate(28)
        .order(ByteOrder.nativeOrder())
        .putShort((short) SockLib.AF_INET6)
        .order(ByteOrder.BIG_ENDIAN)
        .putShort((short) port)
        .putInt(0)
        .put(addr)
        .order(ByteOrder.nativeOrder())
        .putInt(scope)
        .array();
  }

  /** Multicasts {@code m} to the link's DHCPv6 servers. */
  void send(Dhcp6Message m) {
    byte[] data = m.encode();
    byte[] to = sockaddr6(SERVERS, 547, ifindex);
    long n;
    do {
      n = SockLib.INSTANCE.sendto(fd, data, data.length, 0, to, to.length);
    } while (n < 0 && SockLib.errno() == SockLib.EINTR);
    if (n < 0) {
      throw SockLib.failure(ifname + ": send " + Dhcp6Message.typeName(m.type()));
    }
    log.debug("{}: sent {} xid {}", ifname, Dhcp6Message.typeName(m.type()), m.xid());
  }

  /** The next DHCPv6 message, or null at {@code deadline} (epoch ms) or on {@link #wakeup}. */
  Dhcp6Message receive(long deadline) {
    var lib = SockLib.INSTANCE;
    while (!closed) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return null;
      }
      var fds =
          ByteBuffer.allocate(16)
              .order(ByteOrder.nativeOrder())
              .putInt(fd)
              .putShort(SockLib.POLLIN)
              .putShort((short) 0)
              .putInt(pipe[0])
              .putShort(SockLib.POLLIN)
              .putShort((short) 0)
              .array();
      int r = lib.poll(fds, 2, (int) Math.min(left, Integer.MAX_VALUE));
      if (r < 0) {
        if (SockLib.errno() == SockLib.EINTR) {
          continue;
        }
        throw SockLib.failure(ifname + ": poll");
      }
      if (r == 0) {
        return null;
      }
      var rb = ByteBuffer.wrap(fds).order(ByteOrder.nativeOrder());
      if (rb.getShort(14) != 0) {
        lib.read(pipe[0], buf, buf.length);
        return null;
      }
      if (rb.getShort(6) != 0) {
        long n = lib.recvfrom(fd, buf, buf.length, 0, new byte[28], new int[] {28});
        if (n < 0) {
          continue;
        }
        try {
          return Dhcp6Message.decode(Arrays.copyOf(buf, (int) n), (int) n);
        } catch (IllegalArgumentException e) {
          log.debug("{}: not a DHCPv6 message: {}", ifname, e.getMessage());
        }
      }
    }
    return null;
  }

  void wakeup() {
    SockLib.INSTANCE.write(pipe[1], new byte[] {1}, 1);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    SockLib.INSTANCE.close(fd);
    SockLib.INSTANCE.close(pipe[0]);
    SockLib.INSTANCE.close(pipe[1]);
  }
}
