package io.multihome.api.nad.selection;

/** One {@code portMappings} entry of a network selection element (NPWG v1.1). */
public record PortMapping(int hostPort, int containerPort, String protocol, String hostIP) {}
