package io.multihome.agent.dhcp;

import io.multihome.agent.netlink.NetNs;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHCPv4 client's sockets on one interface, opened inside the target's network namespace: an
 * AF_PACKET datagram socket (IPv4 frames of that interface only, a classic BPF filter passing UDP
 * to port 68) that sends and receives every message, so nothing depends on the interface having an
 * address, on routes or on reverse-path filtering; plus a UDP socket bound to port 68 on the device
 * that only absorbs unicast replies, so the kernel does not answer them with ICMP port unreachable.
 * A pipe wakes a waiting {@link #receive}.
 */
final class PacketLink implements Dhcp4Link {
  private static final Logger log = LoggerFactory.getLogger(PacketLink.class);
  private static final byte[] BROADCAST_MAC = {-1, -1, -1, -1, -1, -1};
  private static final int IP_HEADER = 20;
  private static final int UDP_HEADER = 8;

  /** ldb [9]; jeq 17; ldh [6]; jset 0x1fff (fragment); ldxb 4*([0]&0xf); ldh [x+2]; jeq 68. */
  private static final int[][] FILTER = {
    {0x30, 0, 0, 9},
    {0x15, 0, 6, 17},
    {0x28, 0, 0, 6},
    {0x45, 4, 0, 0x1fff},
    {0xb1, 0, 0, 0},
    {0x48, 0, 0, 2},
    {0x15, 0, 1, 68},
    {0x06, 0, 0, 0xffff},
    {0x06, 0, 0, 0},
  };

  private final String ifname;
  private final int ifindex;
  private final byte[] mac;
  private final int packetFd;
  private final int sinkFd;
  private final int[] pipe;
  private final byte[] buf = new byte[2048];
  private volatile boolean closed;

  private PacketLink(String ifname, int ifindex, byte[] mac, int packetFd, int sinkFd, int[] pipe) {
    this.ifname = ifname;
    this.ifindex = ifindex;
    this.mac = mac;
    this.packetFd = packetFd;
    this.sinkFd = sinkFd;
    this.pipe = pipe;
  }

  /** Opens the sockets for {@code ifname} ({@code ifindex}, {@code mac}) in {@code netns}. */
  static PacketLink open(String netns, String ifname, int ifindex, byte[] mac) {
    if (netns == null) {
      return openHere(ifname, ifindex, mac);
    }
    try (var ns = NetNs.named(netns)) {
      return ns.call(() -> openHere(ifname, ifindex, mac));
    }
  }

  private static PacketLink openHere(String ifname, int ifindex, byte[] mac) {
    var lib = SockLib.INSTANCE;
    int fd = lib.socket(SockLib.AF_PACKET, SockLib.SOCK_DGRAM | SockLib.SOCK_CLOEXEC, 0);
    if (fd < 0) {
      throw SockLib.failure("packet socket for " + ifname);
    }
    int sink = -1;
    int[] pipe = new int[2];
    try {
      attachFilter(fd);
      byte[] ll = sockaddrLl(ifindex, null);
      if (lib.bind(fd, ll, ll.length) < 0) {
        throw SockLib.failure("bind packet socket to " + ifname);
      }
      if (lib.pipe2(pipe, SockLib.SOCK_CLOEXEC | SockLib.SOCK_NONBLOCK) < 0) {
        throw SockLib.failure("pipe");
      }
      sink = udpSink(ifname);
      return new PacketLink(ifname, ifindex, mac, fd, sink, pipe);
    } catch (RuntimeException e) {
      lib.close(fd);
      if (sink >= 0) {
        lib.close(sink);
      }
      throw e;
    }
  }

  private static void attachFilter(int fd) {
    var runtime = Runtime.getRuntime(SockLib.INSTANCE);
    Pointer code = Memory.allocateDirect(runtime, FILTER.length * 8);
    for (int i = 0; i < FILTER.length; i++) {
      code.putShort(i * 8L, (short) FILTER[i][0]);
      code.putByte(i * 8L + 2, (byte) FILTER[i][1]);
      code.putByte(i * 8L + 3, (byte) FILTER[i][2]);
      code.putInt(i * 8L + 4, FILTER[i][3]);
    }
    byte[] prog =
        ByteBuffer.allocate(16)
            .order(ByteOrder.nativeOrder())
            .putShort((short) FILTER.length)
            .putShort((short) 0)
            .putInt(0)
            .putLong(code.address())
            .array();
    if (SockLib.INSTANCE.setsockopt(fd, SockLib.SOL_SOCKET, SockLib.SO_ATTACH_FILTER, prog, 16)
        < 0) {
      throw SockLib.failure("attach the DHCP filter");
    }
  }

  /** UDP *:68 on the device, or -1 when another client holds it (then replies cost an ICMP). */
  private static int udpSink(String ifname) {
    var lib = SockLib.INSTANCE;
    int fd =
        lib.socket(
            SockLib.AF_INET, SockLib.SOCK_DGRAM | SockLib.SOCK_CLOEXEC | SockLib.SOCK_NONBLOCK, 0);
    if (fd < 0) {
      return -1;
    }
    byte[] one = intOpt(1);
    byte[] dev = (ifname + "\0").getBytes(StandardCharsets.US_ASCII);
    byte[] sin =
        ByteBuffer.allocate(16)
            .order(ByteOrder.nativeOrder())
            .putShort((short) SockLib.AF_INET)
            .order(ByteOrder.BIG_ENDIAN)
            .putShort((short) 68)
            .array();
    if (lib.setsockopt(fd, SockLib.SOL_SOCKET, SockLib.SO_REUSEADDR, one, 4) < 0
        || lib.setsockopt(fd, SockLib.SOL_SOCKET, SockLib.SO_BINDTODEVICE, dev, dev.length) < 0
        || lib.bind(fd, sin, sin.length) < 0) {
      log.debug("{}: no UDP socket on port 68: {}", ifname, SockLib.failure("bind").getMessage());
      lib.close(fd);
      return -1;
    }
    return fd;
  }

  static byte[] intOpt(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
  }

  private static byte[] sockaddrLl(int ifindex, byte[] dstMac) {
    var b = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
    b.putShort((short) SockLib.AF_PACKET);
    b.order(ByteOrder.BIG_ENDIAN).putShort((short) SockLib.ETH_P_IP);
    b.order(ByteOrder.nativeOrder()).putInt(ifindex);
    b.putShort((short) 0).put((byte) 0);
    if (dstMac != null) {
      b.put((byte) dstMac.length).put(Arrays.copyOf(dstMac, 8));
    }
    return b.array();
  }

  @Override
  public byte[] mac() {
    return mac.clone();
  }

  @Override
  public void broadcast(Dhcp4Message m, Inet4Address source) {
    send(m, source, Dhcp4Message.v4(new byte[] {-1, -1, -1, -1}), BROADCAST_MAC);
  }

  @Override
  public void unicast(Dhcp4Message m, Inet4Address source, Inet4Address server, byte[] nextHop) {
    send(m, source, server, nextHop == null ? BROADCAST_MAC : nextHop);
  }

  private void send(Dhcp4Message m, Inet4Address src, Inet4Address dst, byte[] dstMac) {
    byte[] packet = ipUdp(m.encode(), src.getAddress(), dst.getAddress());
    byte[] to = sockaddrLl(ifindex, dstMac);
    long n;
    do {
      n = SockLib.INSTANCE.sendto(packetFd, packet, packet.length, 0, to, to.length);
    } while (n < 0 && SockLib.errno() == SockLib.EINTR);
    if (n < 0) {
      throw SockLib.failure(ifname + ": send " + m);
    }
    log.debug("{}: sent {}", ifname, m);
  }

  /** An IPv4 + UDP (68 → 67) packet around {@code payload}, both checksums filled in. */
  static byte[] ipUdp(byte[] payload, byte[] src, byte[] dst) {
    int udpLen = UDP_HEADER + payload.length;
    var b = ByteBuffer.allocate(IP_HEADER + udpLen);
    b.put((byte) 0x45).put((byte) 0x10).putShort((short) (IP_HEADER + udpLen));
    b.putShort((short) 0).putShort((short) 0);
    b.put((byte) 64).put((byte) 17).putShort((short) 0);
    b.put(src).put(dst);
    b.putShort(10, checksum(b.array(), 0, IP_HEADER, 0));
    b.putShort((short) 68).putShort((short) 67).putShort((short) udpLen).putShort((short) 0);
    b.put(payload);
    long pseudo = sum(src, 0, 4) + sum(dst, 0, 4) + 17 + udpLen;
    short c = checksum(b.array(), IP_HEADER, udpLen, pseudo);
    b.putShort(IP_HEADER + 6, c == 0 ? (short) 0xffff : c);
    return b.array();
  }

  private static long sum(byte[] d, int off, int len) {
    long s = 0;
    for (int i = 0; i + 1 < len; i += 2) {
      s += ((d[off + i] & 0xff) << 8) | (d[off + i + 1] & 0xff);
    }
    if ((len & 1) != 0) {
      s += (d[off + len - 1] & 0xff) << 8;
    }
    return s;
  }

  private static short checksum(byte[] d, int off, int len, long initial) {
    long s = initial + sum(d, off, len);
    while ((s >> 16) != 0) {
      s = (s & 0xffff) + (s >> 16);
    }
    return (short) ~s;
  }

  @Override
  public Received receive(long deadline) {
    var lib = SockLib.INSTANCE;
    while (!closed) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return null;
      }
      byte[] fds = pollSet();
      int r = lib.poll(fds, sinkFd >= 0 ? 3 : 2, (int) Math.min(left, Integer.MAX_VALUE));
      if (r < 0) {
        if (SockLib.errno() == SockLib.EINTR) {
          continue;
        }
        throw SockLib.failure(ifname + ": poll");
      }
      if (r == 0) {
        return null;
      }
      if (revents(fds, 1) != 0) {
        lib.read(pipe[0], buf, buf.length);
        return null;
      }
      if (sinkFd >= 0 && revents(fds, 2) != 0) {
        // The packet socket saw the same datagram; this copy only keeps the kernel quiet.
        lib.recvfrom(sinkFd, buf, buf.length, 0, new byte[16], new int[] {16});
      }
      if (revents(fds, 0) != 0) {
        var got = readPacket();
        if (got != null) {
          return got;
        }
      }
    }
    return null;
  }

  private byte[] pollSet() {
    var b = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder());
    b.putInt(packetFd).putShort(SockLib.POLLIN).putShort((short) 0);
    b.putInt(pipe[0]).putShort(SockLib.POLLIN).putShort((short) 0);
    b.putInt(sinkFd).putShort(SockLib.POLLIN).putShort((short) 0);
    return b.array();
  }

  private static int revents(byte[] fds, int i) {
    return ByteBuffer.wrap(fds).order(ByteOrder.nativeOrder()).getShort(i * 8 + 6);
  }

  private Received readPacket() {
    byte[] from = new byte[20];
    int[] fromLen = {20};
    long n = SockLib.INSTANCE.recvfrom(packetFd, buf, buf.length, 0, from, fromLen);
    if (n < 0) {
      int e = SockLib.errno();
      if (e == SockLib.EINTR || e == SockLib.EAGAIN) {
        return null;
      }
      throw SockLib.failure(ifname + ": receive");
    }
    int len = (int) n;
    if (len < IP_HEADER + UDP_HEADER || (buf[0] & 0xf0) != 0x40) {
      return null;
    }
    int ihl = (buf[0] & 0x0f) * 4;
    int total = ((buf[2] & 0xff) << 8) | (buf[3] & 0xff);
    if (ihl < IP_HEADER || total > len || total < ihl + UDP_HEADER) {
      return null;
    }
    // UDP checksums are not checked: on veths and virtio the sender's may be left to offload
    // (the packet socket sees it unfinished); the IP and DHCP layers are checked instead.
    if (checksum(buf, 0, ihl, 0) != 0) {
      return null;
    }
    int udpLen = ((buf[ihl + 4] & 0xff) << 8) | (buf[ihl + 5] & 0xff);
    if (udpLen < UDP_HEADER || ihl + udpLen > total) {
      return null;
    }
    byte[] payload = Arrays.copyOfRange(buf, ihl + UDP_HEADER, ihl + udpLen);
    try {
      var m = Dhcp4Message.decode(payload, payload.length);
      int halen = from[11] & 0xff;
      byte[] src = halen > 0 && halen <= 8 ? Arrays.copyOfRange(from, 12, 12 + halen) : null;
      log.debug("{}: received {}", ifname, m);
      return new Received(m, src);
    } catch (IllegalArgumentException e) {
      log.debug("{}: not a DHCP message: {}", ifname, e.getMessage());
      return null;
    }
  }

  @Override
  public void wakeup() {
    SockLib.INSTANCE.write(pipe[1], new byte[] {1}, 1);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    var lib = SockLib.INSTANCE;
    lib.close(packetFd);
    if (sinkFd >= 0) {
      lib.close(sinkFd);
    }
    lib.close(pipe[0]);
    lib.close(pipe[1]);
  }
}
