package io.multihome.state.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;

/** Test states written as YAML, like users write NNCPs. */
final class States {
  private static final YAMLMapper YAML = new YAMLMapper();

  private States() {}

  static ObjectNode yaml(String text) {
    try {
      return (ObjectNode) YAML.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode node(String text) {
    try {
      return YAML.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A node with a DHCP uplink eth0 (default route), a down eth1, a static eth2 and a bridge. */
  static ObjectNode current() {
    return yaml(
        """
        interfaces:
        - name: eth0
          type: ethernet
          state: up
          mac-address: "02:00:00:00:00:01"
          mtu: 1500
          ipv4:
            enabled: true
            dhcp: true
            address:
            - ip: 198.18.0.10
              prefix-length: 24
          lldp:
            enabled: false
        - name: eth1
          type: ethernet
          state: down
          mac-address: "02:00:00:00:00:02"
          mtu: 9000
          ipv4:
            enabled: false
        - name: eth2
          type: ethernet
          state: up
          mac-address: "02:00:00:00:00:03"
          mtu: 1500
          ipv4:
            enabled: true
            dhcp: false
            address:
            - ip: 203.0.113.5
              prefix-length: 24
            - ip: 203.0.113.6
              prefix-length: 24
          ipv6:
            enabled: true
            address:
            - ip: "2001:db8::5"
              prefix-length: 64
        - name: br-lab
          type: linux-bridge
          state: up
          ipv4:
            enabled: false
        routes:
          config: []
          running:
          - destination: 0.0.0.0/0
            next-hop-address: 198.18.0.1
            next-hop-interface: eth0
            metric: 100
            table-id: 254
          - destination: 198.18.0.0/24
            next-hop-address: 0.0.0.0
            next-hop-interface: eth0
            metric: 100
            table-id: 254
          - destination: 203.0.113.0/24
            next-hop-address: 0.0.0.0
            next-hop-interface: eth2
            metric: 101
            table-id: 254
          - destination: "::/0"
            next-hop-address: "2001:db8::1"
            next-hop-interface: eth2
            metric: 1024
            table-id: 254
        dns-resolver:
          config: {}
          running:
            search:
            - example.test
            server:
            - 198.18.0.53
            - "2001:db8::53"
        """);
  }
}
