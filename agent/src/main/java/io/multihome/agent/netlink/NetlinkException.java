package io.multihome.agent.netlink;

/**
 * A failed netlink or system call, readable as is: {@code link add br0 (bridge): EEXIST: File
 * exists}, followed by the kernel's extended-ack message when it sent one.
 */
public class NetlinkException extends RuntimeException {
  private final String operation;
  private final String target;
  private final int errno;
  private final String extAck;

  public NetlinkException(String operation, String target, int errno, String extAck) {
    super(format(operation, target, errno, extAck));
    this.operation = operation;
    this.target = target;
    this.errno = errno;
    this.extAck = extAck;
  }

  private static String format(String operation, String target, int errno, String extAck) {
    var sb = new StringBuilder(operation);
    if (target != null && !target.isEmpty()) {
      sb.append(' ').append(target);
    }
    sb.append(": ").append(Errno.name(errno)).append(": ").append(Errno.describe(errno));
    if (extAck != null && !extAck.isEmpty()) {
      sb.append(" (").append(extAck).append(')');
    }
    return sb.toString();
  }

  /** What was attempted, e.g. {@code link add}. */
  public String operation() {
    return operation;
  }

  /** The object it was attempted on, e.g. {@code br0 (bridge)}; may be empty. */
  public String target() {
    return target;
  }

  public int errno() {
    return errno;
  }

  public String errnoName() {
    return Errno.name(errno);
  }

  /** The kernel's extended-ack text (NETLINK_EXT_ACK), or null when it sent none. */
  public String extAck() {
    return extAck;
  }
}
