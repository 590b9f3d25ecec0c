package io.multihome.api.nad.selection;

/** The {@code bandwidth} key of a network selection element, in bits/s and bits; null = unset. */
public record Bandwidth(Long ingressRate, Long ingressBurst, Long egressRate, Long egressBurst) {}
