package io.multihome.agent.dhcp;

/** Where a DHCPv4 client's lease goes: the kernel, the lease file, DNS, whoever waits for it. */
interface LeaseSink {
  /** A lease was acknowledged (new, renewed, or taken back after a restart). */
  void bound(Lease4 lease, Lease4 previous);

  /**
   * The lease is gone (expired, refused by the server, released) or suspended: undo {@link #bound};
   * {@code keepSaved} keeps the saved lease (a suspended client may be resumed by a rollback).
   */
  void lost(Lease4 lease, String why, boolean keepSaved);

  /** Progress for status and logs: {@code DHCPDISCOVER sent}, {@code no answer yet}, ... */
  default void progress(String what) {}
}
