package io.multihome.agent.dhcp;

/**
 * Where a DHCP client's lease ({@link Lease4}, {@link Lease6}) goes: the kernel, the lease file,
 * DNS, whoever waits for it.
 */
interface LeaseSink<L> {
  /** A lease was acknowledged (new, renewed, or taken back after a restart). */
  void bound(L lease, L previous);

  /**
   * The lease is gone (expired, refused by the server, released) or suspended: undo {@link #bound};
   * {@code keepSaved} keeps the saved lease (a suspended client may be resumed by a rollback).
   */
  void lost(L lease, String why, boolean keepSaved);

  /** Progress for status and logs: {@code DHCPDISCOVER sent}, {@code no answer yet}, ... */
  default void progress(String what) {}
}
