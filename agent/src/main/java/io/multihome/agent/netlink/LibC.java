package io.multihome.agent.netlink;

import java.nio.ByteBuffer;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The few libc calls the netlink layer needs, bound once through jnr-ffi. Callers must read {@link
 * #errno()} immediately after a failing call, on the same thread, before any other native call.
 */
public interface LibC {
  LibC INSTANCE = LibraryLoader.create(LibC.class).load("c");

  int socket(int domain, int type, int protocol);

  int bind(int fd, @In byte[] sockaddr, int addrlen);

  @ssize_t
  long sendto(
      int fd, @In ByteBuffer buf, @size_t long len, int flags, @In byte[] addr, int addrlen);

  @ssize_t
  long recv(int fd, @Out ByteBuffer buf, @size_t long len, int flags);

  int setsockopt(int fd, int level, int optname, @In byte[] optval, int optlen);

  int setns(int fd, int nstype);

  int open(CharSequence path, int flags);

  int close(int fd);

  String strerror(int errnum);

  /** errno of the last failed call on this thread; jnr-ffi saves it right after each call. */
  static int errno() {
    return Runtime.getRuntime(INSTANCE).getLastError();
  }
}
