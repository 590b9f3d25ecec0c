package io.multihome.agent.netlink;

/** A netlink message or attribute whose lengths do not fit the bytes that carry it. */
public class MalformedMessageException extends RuntimeException {
  public MalformedMessageException(String message) {
    super(message);
  }
}
