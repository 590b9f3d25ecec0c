package io.multihome.api.nad.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkSelectionParserTest {

  private static final String N = "k8s.v1.cni.cncf.io/networks";

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  ", "\n"})
  void absentOrBlankSelectsNothing(String value) {
    assertThat(NetworkSelectionParser.parseNetworks(value)).isEmpty();
  }

  @Test
  void commaFormWithNamespacesAndInterfaces() {
    var result = NetworkSelectionParser.parseNetworks(" net-a , other/net-b@eth7,ns2/c@x1 ");
    assertThat(result)
        .containsExactly(
            NetworkSelection.of(null, "net-a", null),
            NetworkSelection.of("other", "net-b", "eth7"),
            NetworkSelection.of("ns2", "c", "x1"));
    assertThat(result.get(0).qualifiedName("pods")).isEqualTo("pods/net-a");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a,,b            | [1]: empty element (stray comma?)",
        "a,              | [1]: empty element (stray comma?)",
        "a/b/c           | [0]: \"a/b/c\" has more than one '/'",
        "a@b@c           | [0]: \"a@b@c\" has more than one '@'",
        "Net             | [0] name: \"Net\" is not a DNS-1123 label",
        "/net            | [0] namespace: must not be empty",
        "ns/             | [0] name: must not be empty",
        "net@            | [0] interface: must not be empty",
        "net@abcdefghijklmnop | [0] interface: \"abcdefghijklmnop\" is longer than 15 characters",
        "net-            | [0] name: \"net-\" is not a DNS-1123 label",
        "ns_1/net        | [0] namespace: \"ns_1\" is not a DNS-1123 label",
        "a b             | [0] name: \"a b\" is not a DNS-1123 label",
      })
  void commaFormErrorsNameElementAndPart(String value, String expected) {
    assertThatThrownBy(() -> NetworkSelectionParser.parseNetworks(value))
        .isInstanceOf(InvalidAnnotationException.class)
        .hasMessageStartingWith(N + expected.strip());
  }

  @Test
  void nameLongerThan63IsRejected() {
    String name = "a".repeat(64);
    assertThatThrownBy(() -> NetworkSelectionParser.parseNetworks(name))
        .hasMessage(N + "[0] name: \"" + name + "\" is longer than 63 characters");
  }

  @Test
  void jsonFormWithEveryKey() {
    String json =
        """
        [{"name":"sriov","namespace":"net","interface":"data0","ips":["198.18.0.5/24","2001:db8::5"],
          "mac":"02:AA:bb:cc:dd:ee","default-route":["198.18.0.1","2001:db8::1"],
          "cni-args":{"foo":"bar"},
          "portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"udp","hostIP":"203.0.113.1"},
                          {"hostPort":8443,"containerPort":443}],
          "bandwidth":{"ingressRate":1000,"egressRate":500,"egressBurst":20},
          "infiniband-guid":"00:11:22:33:44:55:66:77","deviceID":"0000:03:00.1",
          "io.example/extra":{"k":1}},
         {"name":"plain","namespace":""}]
        """;
    var result = NetworkSelectionParser.parseNetworks(json);
    assertThat(result).hasSize(2);
    var first = result.get(0);
    assertThat(first.name()).isEqualTo("sriov");
    assertThat(first.namespace()).isEqualTo("net");
    assertThat(first.interfaceName()).isEqualTo("data0");
    assertThat(first.ips()).containsExactly("198.18.0.5/24", "2001:db8::5");
    assertThat(first.mac()).isEqualTo("02:aa:bb:cc:dd:ee");
    assertThat(first.defaultRoute()).containsExactly("198.18.0.1", "2001:db8::1");
    assertThat(first.cniArgs().get("foo").asText()).isEqualTo("bar");
    assertThat(first.portMappings())
        .containsExactly(
            new PortMapping(8080, 80, "udp", "203.0.113.1"),
            new PortMapping(8443, 443, "TCP", null));
    assertThat(first.bandwidth()).isEqualTo(new Bandwidth(1000L, null, 500L, 20L));
    assertThat(first.infinibandGuid()).isEqualTo("00:11:22:33:44:55:66:77");
    assertThat(first.deviceId()).isEqualTo("0000:03:00.1");
    assertThat(first.extensions()).containsOnlyKeys("io.example/extra");
    assertThat(result.get(1).namespace()).as("empty namespace = pod namespace").isNull();
  }

  @Test
  void emptyDefaultRouteIsAcceptedAndKeptApartFromAbsent() {
    // NPWG v1.3 4.1.2.1.9: "This list may be empty" (the attachment keeps its own gateway).
    var result =
        NetworkSelectionParser.parseNetworks(
            "[{\"name\":\"a\",\"default-route\":[]},{\"name\":\"b\"}]");
    assertThat(result.get(0).defaultRoute()).isEmpty();
    assertThat(result.get(0).requestsDefaultRoute()).isTrue();
    assertThat(result.get(1).defaultRoute()).isNull();
    assertThat(result.get(1).requestsDefaultRoute()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "TCP", "Udp", "sctp", "SCTP"})
  void portMappingProtocolIsCaseInsensitive(String protocol) {
    var result =
        NetworkSelectionParser.parseNetworks(
            "[{\"name\":\"a\",\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,"
                + "\"protocol\":\""
                + protocol
                + "\"}]}]");
    assertThat(result.get(0).portMappings().get(0).protocol()).isEqualTo(protocol);
  }

  @Test
  void whitespaceAroundTheJsonListIsNotTrailingContent() {
    assertThat(NetworkSelectionParser.parseNetworks("\n [ {\"name\":\"a\"} ] \n\t")).hasSize(1);
  }

  @Test
  void bandwidthRateWithoutBurstIsValid() {
    var result =
        NetworkSelectionParser.parseNetworks(
            "[{\"name\":\"a\",\"bandwidth\":{\"ingressRate\":1000,\"egressRate\":2000}}]");
    assertThat(result.get(0).bandwidth()).isEqualTo(new Bandwidth(1000L, null, 2000L, null));
  }

  @Test
  void ipamClaimReferenceMayBeADottedName() {
    var result =
        NetworkSelectionParser.parseNetworks(
            "[{\"name\":\"a\",\"ipam-claim-reference\":\"vm123.tenantblue\"}]");
    assertThat(result.get(0).ipamClaimReference()).isEqualTo("vm123.tenantblue");
  }

  @Test
  void interfaceRequestIsAcceptedAsDeprecatedAlias() {
    var result =
        NetworkSelectionParser.parseNetworks("[{\"name\":\"a\",\"interfaceRequest\":\"x0\"}]");
    assertThat(result.get(0).interfaceName()).isEqualTo("x0");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{\"name\":\"a\"}                      | : the JSON form must be a list of objects, got an object",
        "[{\"name\":\"a\"}                     | : not valid JSON",
        "[\"a\"]                               | [0]: must be an object, got a string",
        "[{}]                                  | [0].name: required key is missing",
        "[{\"name\":5}]                        | [0].name: must be a string, got a number (5)",
        "[{\"name\":\"A\"}]                    | [0].name: \"A\" is not a DNS-1123 label",
        "[{\"name\":\"a\",\"name\":\"b\"}]     | : not valid JSON: Duplicate field 'name'",
        "[{\"name\":\"a\",\"namespace\":\"x/y\"}] | [0].namespace: \"x/y\" is not a DNS-1123 label",
        "[{\"name\":\"a\",\"bogus\":1}]        | [0].bogus: unknown key",
        "[{\"name\":\"a\"},{\"name\":\"b\",\"ips\":\"198.18.0.1\"}] | [1].ips: must be a list of strings, got a string",
        "[{\"name\":\"a\",\"ips\":[]}]         | [0].ips: must not be an empty list",
        "[{\"name\":\"a\",\"ips\":[\"198.18.0.300\"]}] | [0].ips[0]: \"198.18.0.300\" is not an IP address",
        "[{\"name\":\"a\",\"ips\":[\"198.18.0.3/33\"]}] | [0].ips[0]: \"198.18.0.3/33\" has an invalid prefix length (0-32)",
        "[{\"name\":\"a\",\"ips\":[\"2001:db8::1/129\"]}] | [0].ips[0]: \"2001:db8::1/129\" has an invalid prefix length (0-128)",
        "[{\"name\":\"a\",\"ips\":[\"example.com\"]}] | [0].ips[0]: \"example.com\" is not an IP address",
        "[{\"name\":\"a\",\"ips\":[\"2001:db8:::1\"]}] | [0].ips[0]: \"2001:db8:::1\" is not an IP address",
        "[{\"name\":\"a\",\"ips\":[\"198.18.0.1\",\"198.18.0.1\"]}] | [0].ips[1]: \"198.18.0.1\" is listed twice",
        "[{\"name\":\"a\",\"ips\":[1]}]        | [0].ips[0]: must be a string, got a number (1)",
        "[{\"name\":\"a\",\"mac\":\"02:00:00:00:00\"}] | [0].mac: \"02:00:00:00:00\" is not a 6-byte MAC address",
        "[{\"name\":\"a\",\"mac\":\"00:11:22:33:44:55:66:77\"}] | [0].mac: \"00:11:22:33:44:55:66:77\" is not a 6-byte MAC address",
        "[{\"name\":\"a\",\"interface\":\"eth/0\"}] | [0].interface: \"eth/0\" contains '/'",
        "[{\"name\":\"a\",\"interface\":\"a b\"}] | [0].interface: \"a b\" contains ' '",
        "[{\"name\":\"a\",\"interface\":\"..\"}] | [0].interface: \"..\" is not a valid interface name",
        "[{\"name\":\"a\",\"interface\":\"\"}]  | [0].interface: must not be empty",
        "[{\"name\":\"a\",\"interface\":\"averyveryverylongname\"}] | [0].interface: \"averyveryverylongname\" is longer than 15 characters",
        "[{\"name\":\"a\",\"interface\":\"x\",\"interfaceRequest\":\"y\"}] | [0].interfaceRequest: conflicts with \"interface\"",
        "[{\"name\":\"a\",\"interface\":\"x\"},{\"name\":\"b\",\"interface\":\"x\"}] | [1].interface: \"x\" is already requested by element 0",
        "[{\"name\":\"a\",\"default-route\":[\"198.18.0.1/24\"]}] | [0].default-route[0]: \"198.18.0.1/24\" is not an IP address",
        "[{\"name\":\"a\",\"default-route\":[\"198.18.0.1\",\"198.18.0.2\"]}] | [0].default-route: at most one IPv4 and one IPv6 gateway",
        "[{\"name\":\"a\",\"default-route\":[\"198.18.0.1\"]},{\"name\":\"b\",\"default-route\":[\"198.19.0.1\"]}] | [1].default-route: only one element may carry default-route, element 0 already does",
        "[{\"name\":\"a\",\"cni-args\":[1]}]   | [0].cni-args: must be an object, got a list",
        "[{\"name\":\"a\",\"portMappings\":{}}] | [0].portMappings: must be a list of objects, got an object",
        "[{\"name\":\"a\",\"portMappings\":[5]}] | [0].portMappings[0]: must be an object, got a number (5)",
        "[{\"name\":\"a\",\"portMappings\":[{\"hostPort\":1}]}] | [0].portMappings[0].containerPort: required key is missing",
        "[{\"name\":\"a\",\"portMappings\":[{\"hostPort\":8080,\"containerPort\":0}]}] | [0].portMappings[0].containerPort: 0 is not a port number",
        "[{\"name\":\"a\",\"portMappings\":[{\"containerPort\":80,\"hostPort\":70000}]}] | [0].portMappings[0].hostPort: 70000 is not a port number",
        "[{\"name\":\"a\",\"portMappings\":[{\"hostPort\":8080,\"containerPort\":\"80\"}]}] | [0].portMappings[0].containerPort: \"80\" is not a port number",
        "[{\"name\":\"a\",\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"icmp\"}]}] | [0].portMappings[0].protocol: \"icmp\" is not one of TCP, UDP, SCTP",
        "[{\"name\":\"a\",\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,\"hostIP\":\"x\"}]}] | [0].portMappings[0].hostIP: \"x\" is not an IP address",
        "[{\"name\":\"a\",\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,\"port\":1}]}] | [0].portMappings[0].port: unknown key",
        "[{\"name\":\"a\",\"bandwidth\":5}]    | [0].bandwidth: must be an object, got a number (5)",
        "[{\"name\":\"a\",\"bandwidth\":{}}]   | [0].bandwidth: sets none of",
        "[{\"name\":\"a\",\"bandwidth\":{\"ingressRate\":-1}}] | [0].bandwidth.ingressRate: -1 is not a positive integer",
        "[{\"name\":\"a\",\"bandwidth\":{\"ingressRate\":1.5}}] | [0].bandwidth.ingressRate: 1.5 is not a positive integer",
        "[{\"name\":\"a\",\"bandwidth\":{\"rate\":1}}] | [0].bandwidth.rate: unknown key",
        "[{\"name\":\"a\",\"infiniband-guid\":\"00:11\"}] | [0].infiniband-guid: \"00:11\" is not an 8-byte GUID",
        "[{\"name\":\"a\",\"deviceID\":7}]     | [0].deviceID: must be a string, got a number (7)",
        "[{\"name\":\"a\",\"ips\":[\"198.18.0.1\"],\"ipam-claim-reference\":\"c\"}] | [0].ipam-claim-reference: cannot be combined with \"ips\"",
        // Issue 14 item 5 / NPWG v1.3 4.1.2.1: found accepted (or rejected) wrongly before.
        "[{\"name\":\"a\"}] garbage                 | : unexpected content after the JSON list at character 14 (the list ends there): \"garbage\"",
        "[{\"name\":\"a\"}][{\"name\":\"b\"}]   | : unexpected content after the JSON list at character 14 (the list ends there): \"[{\\\"name\\\":\\\"b\\\"}]\"",
        "[{\"name\":\"a\"}],                        | : unexpected content after the JSON list at character 14 (the list ends there): \",\"",
        "[{\"name\":\"a\",\"portMappings\":[{\"containerPort\":80}]}] | [0].portMappings[0].hostPort: required key is missing",
        "[{\"name\":\"a\",\"portMappings\":[{\"hostPort\":80,\"containerPort\":80},{\"hostPort\":0,\"containerPort\":80}]}] | [0].portMappings[1].hostPort: 0 is not a port number",
        "[{\"name\":\"a\",\"portMappings\":[]}]   | [0].portMappings: must not be an empty list",
        "[{\"name\":\"a\",\"portMappings\":[{\"hostPort\":80,\"containerPort\":80,\"protocol\":5}]}] | [0].portMappings[0].protocol: must be a string, got a number (5)",
        "[{\"name\":\"a\",\"bandwidth\":{\"ingressRate\":0}}] | [0].bandwidth.ingressRate: 0 is not a positive integer",
        "[{\"name\":\"a\",\"bandwidth\":{\"ingressRate\":1000,\"ingressBurst\":0}}] | [0].bandwidth.ingressBurst: 0 is not a positive integer",
        "[{\"name\":\"a\",\"bandwidth\":{\"ingressBurst\":300}}] | [0].bandwidth.ingressBurst: needs ingressRate",
        "[{\"name\":\"a\",\"bandwidth\":{\"ingressRate\":1000,\"egressBurst\":200}}] | [0].bandwidth.egressBurst: needs egressRate",
        "[{\"name\":\"a\",\"bandwidth\":{\"egressRate\":\"1M\"}}] | [0].bandwidth.egressRate: \"1M\" is not a positive integer",
        "[{\"name\":\"a\",\"mac\":\"01:00:5e:00:00:01\"}] | [0].mac: \"01:00:5e:00:00:01\" is a multicast address",
        "[{\"name\":\"a\",\"mac\":\"00:00:00:00:00:00\"}] | [0].mac: \"00:00:00:00:00:00\" is the all-zero address",
        "[{\"name\":\"a\",\"ipam-claim-reference\":\"\"}] | [0].ipam-claim-reference: must not be empty",
        "[{\"name\":\"a\",\"ipam-claim-reference\":\"VM_1\"}] | [0].ipam-claim-reference: \"VM_1\" is not a DNS-1123 subdomain",
        "[{\"name\":\"a\",\"deviceID\":\"\"}]   | [0].deviceID: must not be empty",
        "[{\"name\":\"a\",\"default-route\":\"198.18.0.1\"}] | [0].default-route: must be a list of strings, got a string",
        "[{\"name\":\"a\",\"default-route\":[]},{\"name\":\"b\",\"default-route\":[\"198.18.0.1\"]}] | [1].default-route: only one element may carry default-route, element 0 already does",
        "[{\"name\":\"a\",\"cni-args\":\"x=y\"}] | [0].cni-args: must be an object, got a string",
      })
  void jsonFormErrorsNameElementKeyAndReason(String value, String expected) {
    assertThatThrownBy(() -> NetworkSelectionParser.parseNetworks(value))
        .isInstanceOf(InvalidAnnotationException.class)
        .hasMessageStartingWith(N + expected.strip());
  }

  @Test
  void exceptionExposesPathAndReasonSeparately() {
    var error =
        org.junit.jupiter.api.Assertions.assertThrows(
            InvalidAnnotationException.class,
            () -> NetworkSelectionParser.parseNetworks("[{\"name\":\"a\",\"mac\":\"x\"}]"));
    assertThat(error.path()).isEqualTo(N + "[0].mac");
    assertThat(error.reason()).contains("\"x\"");
  }

  @Test
  void defaultNetworkAnnotationAcceptsOneReferenceInEitherForm() {
    assertThat(NetworkSelectionParser.parseDefaultNetwork("kube-system/cluster-b"))
        .isEqualTo(NetworkSelection.of("kube-system", "cluster-b", null));
    assertThat(NetworkSelectionParser.parseDefaultNetwork("[{\"name\":\"c\"}]").name())
        .isEqualTo("c");
    assertThat(NetworkSelectionParser.parseDefaultNetwork("")).isNull();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a,b | v1.multus-cni.io/default-network: must name exactly one network, found 2",
        "a@eth1 | v1.multus-cni.io/default-network[0]: an interface name cannot be chosen",
        "A | v1.multus-cni.io/default-network[0] name: \"A\" is not a DNS-1123 label",
      })
  void defaultNetworkErrors(String value, String expected) {
    assertThatThrownBy(() -> NetworkSelectionParser.parseDefaultNetwork(value))
        .isInstanceOf(InvalidAnnotationException.class)
        .hasMessageStartingWith(expected.strip());
  }

  @Test
  void ipv6LiteralsAreValidatedWithoutNameResolution() {
    assertThat(Validation.isIp("2001:db8::1")).isTrue();
    assertThat(Validation.isIp("::ffff:198.18.0.1")).isTrue();
    assertThat(Validation.isIp("localhost")).isFalse();
    // As Go's net.IP.String() (and so Multus, in network-status) writes them: RFC 5952.
    assertThat(Validation.canonicalIp("2001:DB8:0::1")).isEqualTo("2001:db8::1");
    assertThat(Validation.canonicalIp("2001:db8:71:0:0:0:0:1")).isEqualTo("2001:db8:71::1");
    assertThat(Validation.canonicalIp("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
    assertThat(Validation.canonicalIp("2001:0:0:1:0:0:0:1")).isEqualTo("2001:0:0:1::1");
    assertThat(Validation.canonicalIp("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1");
    assertThat(Validation.canonicalIp("0:0:0:0:0:0:0:1")).isEqualTo("::1");
    assertThat(Validation.canonicalIp("2001:db8:0:0:0:0:0:0")).isEqualTo("2001:db8::");
    assertThat(Validation.canonicalIp("::ffff:198.18.0.1")).isEqualTo("198.18.0.1");
    assertThat(Validation.canonicalIp("198.18.0.1")).isEqualTo("198.18.0.1");
    assertThat(List.of(Validation.isMac48("02:00:00:00:00:01"))).containsExactly(true);
  }
}
