package io.multihome.agent.dhcp;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls of the DHCP sockets (packet, UDP, wake-up pipe), bound once through jnr-ffi. Kept
 * apart from the netlink layer's binding so each stays small. Read {@link #errno()} right after a
 * failing call, on the same thread. Public only because jnr-ffi implements it in another loader.
 */
public interface SockLib {
  SockLib INSTANCE = LibraryLoader.create(SockLib.class).load("c");

  int AF_INET = 2;
  int AF_INET6 = 10;
  int AF_PACKET = 17;
  int SOCK_DGRAM = 2;
  int SOCK_CLOEXEC = 0x80000;
  int SOCK_NONBLOCK = 0x800;
  int SOL_SOCKET = 1;
  int SO_REUSEADDR = 2;
  int SO_BROADCAST = 6;
  int SO_BINDTODEVICE = 25;
  int SO_ATTACH_FILTER = 26;
  int IPPROTO_IPV6 = 41;
  int IPV6_MULTICAST_IF = 17;
  int IPV6_MULTICAST_HOPS = 18;
  int IPV6_V6ONLY = 26;
  int ETH_P_IP = 0x0800;
  short POLLIN = 1;
  int EINTR = 4;
  int EAGAIN = 11;

  int socket(int domain, int type, int protocol);

  int bind(int fd, @In byte[] sockaddr, int addrlen);

  @ssize_t
  long sendto(int fd, @In byte[] buf, @size_t long len, int flags, @In byte[] addr, int addrlen);

  @ssize_t
  long recvfrom(
      int fd,
      @Out byte[] buf,
      @size_t long len,
      int flags,
      @Out byte[] addr,
      @In @Out int[] addrlen);

  int setsockopt(int fd, int level, int optname, @In byte[] optval, int optlen);

  int poll(@In @Out byte[] fds, long nfds, int timeout);

  int pipe2(@Out int[] fds, int flags);

  @ssize_t
  long write(int fd, @In byte[] buf, @size_t long len);

  @ssize_t
  long read(int fd, @Out byte[] buf, @size_t long len);

  int if_nametoindex(String name);

  int close(int fd);

  String strerror(int errnum);

  static int errno() {
    return Runtime.getRuntime(INSTANCE).getLastError();
  }

  static java.io.UncheckedIOException failure(String what) {
    int e = errno();
    return new java.io.UncheckedIOException(
        new java.io.IOException(what + ": " + INSTANCE.strerror(e) + " (errno " + e + ")"));
  }
}
