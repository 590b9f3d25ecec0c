package io.multihome.state;

import java.util.List;

/**
 * {@code dns-resolver.config}. When given it replaces the node's static DNS settings; an empty
 * config ({@code config: {}}) removes them.
 */
public record DnsConfig(List<String> server, List<String> search, List<String> options) {}
