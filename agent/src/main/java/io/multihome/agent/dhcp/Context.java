package io.multihome.agent.dhcp;

/**
 * What the per-interface clients of one target share: the namespace they open sockets in (null: the
 * agent's own), the kernel side, the lease files, and the service to tell about lease changes
 * (waiters, DNS).
 */
record Context(String netns, KernelLeases kernel, LeaseStore store, Runnable changed) {}
