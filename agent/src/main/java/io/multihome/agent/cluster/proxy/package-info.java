/**
 * The node side of Services on secondary networks: inside every local pod attached to a Service's
 * network, an nftables table DNATs the Service's cluster IPs to the endpoints the controller
 * publishes in EndpointSlices, and a route sends the cluster IPs out of that network's interface.
 * docs/services.md.
 */
package io.multihome.agent.cluster.proxy;
