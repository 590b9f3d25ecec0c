package io.multihome.agent.dhcp;

import io.multihome.agent.engine.AutoIp;

/**
 * One interface's dynamic IP as the agent reports it: its settings, each family's lease (null:
 * none) and what its client is doing ({@code bound 198.18.64.101/24 from 198.18.64.254}, {@code
 * DHCPDISCOVER sent (attempt 3), no answer yet}); {@code exchange4Millis}: how long the last DHCPv4
 * acquisition took from its first message to the ACK (the server's answer time; -1: none yet).
 */
public record DhcpStatus(
    AutoIp settings,
    Lease4 lease4,
    String state4,
    Lease6 lease6,
    String state6,
    long exchange4Millis) {}
