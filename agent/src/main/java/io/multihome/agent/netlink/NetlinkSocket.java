package io.multihome.agent.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A raw AF_NETLINK socket bound in the network namespace of the thread that opened it. The socket
 * stays in that namespace for its whole life, so it may then be used from any thread.
 */
public final class NetlinkSocket implements AutoCloseable {
  private static final int SOCK_RAW = 3;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int MSG_TRUNC = 0x20;
  private static final byte[] KERNEL = sockaddr(0);
  static final int NETLINK_ROUTE = 0;
  static final int NETLINK_GENERIC = 16;

  private final int fd;
  private ByteBuffer sendBuf = ByteBuffer.allocateDirect(64 * 1024);
  private volatile boolean closed;

  private NetlinkSocket(int fd) {
    this.fd = fd;
  }

  /** Opens and binds a socket in the calling thread's current network namespace. */
  public static NetlinkSocket openHere(int protocol, int groups) {
    int fd = LibC.INSTANCE.socket(Rtnl.AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
    if (fd < 0) {
      throw new NetlinkException("netlink socket", "", LibC.errno(), null);
    }
    var s = new NetlinkSocket(fd);
    try {
      byte[] addr = sockaddr(groups);
      if (LibC.INSTANCE.bind(fd, addr, addr.length) < 0) {
        throw new NetlinkException("netlink bind", "", LibC.errno(), null);
      }
      return s;
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private static byte[] sockaddr(int groups) {
    return ByteBuffer.allocate(12)
        .order(ByteOrder.nativeOrder())
        .putShort((short) Rtnl.AF_NETLINK)
        .putShort((short) 0)
        .putInt(0)
        .putInt(groups)
        .array();
  }

  public int fd() {
    return fd;
  }

  public void setOption(int level, int name, int value) {
    byte[] v = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    if (LibC.INSTANCE.setsockopt(fd, level, name, v, 4) < 0) {
      throw new NetlinkException("setsockopt " + level + "/" + name, "", LibC.errno(), null);
    }
  }

  /** Best effort: a larger buffer than rmem_max needs CAP_NET_ADMIN (SO_RCVBUFFORCE). */
  public void setReceiveBuffer(int bytes) {
    try {
      setOption(Rtnl.SOL_SOCKET, Rtnl.SO_RCVBUFFORCE, bytes);
    } catch (NetlinkException e) {
      setOption(Rtnl.SOL_SOCKET, Rtnl.SO_RCVBUF, bytes);
    }
  }

  /** recv() then returns -1 after this long without data, so a reader can notice close(). */
  public void setReceiveTimeout(long millis) {
    byte[] tv =
        ByteBuffer.allocate(16)
            .order(ByteOrder.nativeOrder())
            .putLong(millis / 1000)
            .putLong((millis % 1000) * 1000)
            .array();
    if (LibC.INSTANCE.setsockopt(fd, Rtnl.SOL_SOCKET, Rtnl.SO_RCVTIMEO, tv, tv.length) < 0) {
      throw new NetlinkException("setsockopt SO_RCVTIMEO", "", LibC.errno(), null);
    }
  }

  public void joinGroup(int group) {
    setOption(Rtnl.SOL_NETLINK, Rtnl.NETLINK_ADD_MEMBERSHIP, group);
  }

  /** Sends bytes (one or more complete messages) to the kernel in one datagram. */
  public void send(byte[] data, int len) {
    if (sendBuf.capacity() < len) {
      sendBuf = ByteBuffer.allocateDirect(Math.max(len, sendBuf.capacity() * 2));
    }
    sendBuf.clear();
    sendBuf.put(data, 0, len);
    // jnr-ffi passes a direct buffer's address plus its position, so rewind first
    sendBuf.flip();
    long n;
    int err;
    do {
      n = LibC.INSTANCE.sendto(fd, sendBuf, len, 0, KERNEL, KERNEL.length);
      err = n < 0 ? LibC.errno() : 0;
    } while (n < 0 && err == Errno.EINTR);
    if (n < 0) {
      throw new NetlinkException("netlink send", "", err, null);
    }
  }

  /**
   * Receives one datagram into {@code buf} (a direct buffer, filled from 0; its limit is set to the
   * length). Returns the length, or -1 when a receive timeout expired.
   *
   * @throws NetlinkException with errno ENOBUFS when the kernel dropped messages (overrun)
   */
  public int receive(ByteBuffer buf) {
    long n;
    int err;
    do {
      buf.clear();
      n = LibC.INSTANCE.recv(fd, buf, buf.capacity(), MSG_TRUNC);
      err = n < 0 ? LibC.errno() : 0;
    } while (n < 0 && err == Errno.EINTR && !closed);
    if (n < 0) {
      if (err == Errno.EAGAIN || closed) {
        return -1;
      }
      throw new NetlinkException("netlink receive", "", err, null);
    }
    if (n > buf.capacity()) {
      throw new MalformedMessageException(
          "datagram of " + n + " bytes truncated to " + buf.capacity());
    }
    buf.position(0).limit((int) n);
    return (int) n;
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      LibC.INSTANCE.close(fd);
    }
  }
}
