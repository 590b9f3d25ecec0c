package io.multihome.agent.cni.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multihome.agent.cni.exec.CniException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WhereaboutsConfigParserTest {

  @TempDir Path tmp;

  private WhereaboutsConfig parse(String ipam) throws CniException {
    return new WhereaboutsConfigParser(List.of(tmp.resolve("none.conf"))).parse(config(ipam));
  }

  static byte[] config(String ipam) {
    return ("{\"cniVersion\":\"0.3.1\",\"name\":\"macvlan1\",\"type\":\"macvlan\",\"ipam\":"
            + ipam
            + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private String error(String ipam) {
    try {
      parse(ipam);
    } catch (CniException e) {
      assertThat(e.code()).isEqualTo(CniException.INVALID_CONFIG);
      return e.getMessage();
    }
    throw new AssertionError("no error for " + ipam);
  }

  @Test
  void theSeedExampleRangeIsTheWholeSubnetMinusNetworkAndBroadcast() throws Exception {
    var c = parse("{\"type\":\"whereabouts\",\"range\":\"198.18.70.0/24\"}");
    assertThat(c.ranges()).hasSize(1);
    IpRange r = c.ranges().get(0);
    assertThat(r.rangeText()).isEqualTo("198.18.70.0/24");
    assertThat(r.first()).hasToString("198.18.70.1");
    assertThat(r.last()).hasToString("198.18.70.254");
    assertThat(c.poolName(r)).isEqualTo("198.18.70.0-24");
    assertThat(c.overlappingRanges()).as("whereabouts' default").isTrue();
    assertThat(c.name()).isEqualTo("macvlan1");
    assertThat(c.cniVersion()).isEqualTo("0.3.1");
  }

  @Test
  void hostBitsInTheRangeAreDroppedAsGoParseCidrDoes() throws Exception {
    IpRange r = parse("{\"type\":\"whereabouts\",\"range\":\"198.18.2.230/24\"}").ranges().get(0);
    assertThat(r.rangeText()).isEqualTo("198.18.2.0/24");
    assertThat(r.first()).hasToString("198.18.2.1");
  }

  @Test
  void dashFormSetsStartAndEndAndAllowsLeadingZeros() throws Exception {
    IpRange r =
        parse("{\"type\":\"whereabouts\",\"range\":\"00198.00018.1.5-000198.18.01.25/24\"}")
            .ranges()
            .get(0);
    assertThat(r.rangeText()).isEqualTo("198.18.1.0/24");
    assertThat(r.first()).hasToString("198.18.1.5");
    assertThat(r.last()).hasToString("198.18.1.25");
  }

  @Test
  void rangeStartAndEndBoundTheRange() throws Exception {
    IpRange r =
        parse(
                "{\"type\":\"whereabouts\",\"range\":\"198.18.1.0/24\",\"range_start\":\"198.18.1.44\","
                    + "\"range_end\":\"198.18.1.209\",\"exclude\":[\"198.18.1.48/30\",\"198.18.1.60\"]}")
            .ranges()
            .get(0);
    assertThat(r.first()).hasToString("198.18.1.44");
    assertThat(r.last()).hasToString("198.18.1.209");
    assertThat(r.allows(Ip.parse("198.18.1.47"))).isTrue();
    assertThat(r.allows(Ip.parse("198.18.1.49"))).isFalse();
    assertThat(r.allows(Ip.parse("198.18.1.60"))).isFalse();
    assertThat(r.allows(Ip.parse("198.18.1.43"))).isFalse();
    assertThat(r.allows(Ip.parse("198.18.1.210"))).isFalse();
  }

  @Test
  void rangeComesFirstThenIpRangesForDualStackWithNetworkName() throws Exception {
    var c =
        parse(
            "{\"type\":\"whereabouts\",\"range\":\"2001:db8:70::/64\",\"network_name\":\"blue\","
                + "\"ipRanges\":[{\"range\":\"198.18.10.0/24\",\"exclude\":[\"198.18.10.0/28\"]}],"
                + "\"gateway\":\"198.18.10.254\",\"enable_overlapping_ranges\":false}");
    assertThat(c.ranges())
        .extracting(IpRange::rangeText)
        .containsExactly("2001:db8:70::/64", "198.18.10.0/24");
    assertThat(c.ranges())
        .extracting(c::poolName)
        .containsExactly("blue-2001-db8-70---64", "blue-198.18.10.0-24");
    assertThat(c.reservationName(Ip.parse("2001:db8:70::5"))).isEqualTo("blue-2001-db8-70--5");
    assertThat(c.ranges().get(1).excludes()).hasSize(1);
    assertThat(c.gateway()).hasToString("198.18.10.254");
    assertThat(c.overlappingRanges()).isFalse();
  }

  @Test
  void unnamedNetworkNamesAreWhereaboutsOwn() throws Exception {
    var c = parse("{\"type\":\"whereabouts\",\"range\":\"2001:db8::/116\"}");
    assertThat(c.poolName(c.ranges().get(0))).isEqualTo("2001-db8---116");
    // net.IP.String() of 2001:db8:: ends with ':', which whereabouts completes with a 0.
    assertThat(c.reservationName(Ip.parse("2001:db8::"))).isEqualTo("2001-db8--0");
    assertThat(c.reservationName(Ip.parse("198.18.0.7"))).isEqualTo("198.18.0.7");
  }

  @Test
  void routesDnsAndStaticAddressesAreKept() throws Exception {
    var c =
        parse(
            "{\"type\":\"whereabouts\",\"range\":\"198.18.3.0/24\",\"routes\":[{\"dst\":\"203.0.113.0/24\","
                + "\"gw\":\"198.18.3.1\"}],\"dns\":{\"nameservers\":[\"198.18.3.53\"]},"
                + "\"addresses\":[{\"address\":\"198.18.4.9/24\",\"gateway\":\"198.18.4.1\"}]}");
    assertThat(c.routes().get(0).path("dst").asText()).isEqualTo("203.0.113.0/24");
    assertThat(c.dns().path("nameservers").get(0).asText()).isEqualTo("198.18.3.53");
    assertThat(c.addresses())
        .singleElement()
        .satisfies(a -> assertThat(a.address()).hasToString("198.18.4.0/24"));
  }

  @Test
  void flatFileFillsWhatTheNadLeavesEmptyButNeverOverlapping() throws Exception {
    Path flat = tmp.resolve("whereabouts.conf");
    Files.writeString(
        flat,
        "{\"datastore\":\"kubernetes\",\"kubernetes\":{\"kubeconfig\":\"/etc/x\"},"
            + "\"range\":\"198.18.9.0/24\",\"gateway\":\"198.18.9.1\",\"enable_overlapping_ranges\":false}");
    var parser = new WhereaboutsConfigParser(List.of(tmp.resolve("absent.conf"), flat));
    var c = parser.parse(config("{\"type\":\"whereabouts\",\"gateway\":\"198.18.9.254\"}"));
    assertThat(c.ranges()).extracting(IpRange::rangeText).containsExactly("198.18.9.0/24");
    assertThat(c.gateway()).as("the NAD wins").hasToString("198.18.9.254");
    assertThat(c.overlappingRanges()).isTrue();
  }

  @Test
  void configurationPathIsSearchedFirst() throws Exception {
    Path custom = tmp.resolve("custom.conf");
    Files.writeString(custom, "{\"range\":\"198.18.11.0/24\"}");
    Path standard = tmp.resolve("standard.conf");
    Files.writeString(standard, "{\"range\":\"198.18.12.0/24\"}");
    var c =
        new WhereaboutsConfigParser(List.of(standard))
            .parse(config("{\"type\":\"whereabouts\",\"configuration_path\":\"" + custom + "\"}"));
    assertThat(c.ranges()).extracting(IpRange::rangeText).containsExactly("198.18.11.0/24");
    Files.writeString(custom, "{not json");
    assertThatThrownBy(
            () ->
                new WhereaboutsConfigParser(List.of())
                    .parse(
                        config(
                            "{\"type\":\"whereabouts\",\"configuration_path\":\""
                                + custom
                                + "\"}")))
        .hasMessageContaining("ipam.configuration_path")
        .hasMessageContaining("custom.conf is not valid JSON");
  }

  @Test
  void errorsNameTheField() {
    assertThat(error("{\"type\":\"host-local\",\"range\":\"198.18.0.0/24\"}"))
        .contains("ipam.type: is \"host-local\"");
    assertThat(error("{\"type\":\"whereabouts\"}")).contains("ipam.range: no range configured");
    assertThat(error("{\"type\":\"whereabouts\",\"range\":\"198.18.0.0\"}"))
        .contains("ipam.range: \"198.18.0.0\" is not in CIDR notation");
    assertThat(error("{\"type\":\"whereabouts\",\"range\":\"198.18.1.5-198.18.2.25/28\"}"))
        .contains("ipam.range: 198.18.1.5 is not inside 198.18.2.16/28");
    assertThat(error("{\"type\":\"whereabouts\",\"range\":\"198.18.0.0/31\"}"))
        .contains("has no usable addresses");
    assertThat(
            error(
                "{\"type\":\"whereabouts\",\"range\":\"198.18.0.0/24\",\"range_start\":\"198.18.1.1\"}"))
        .contains("ipam.range_start: 198.18.1.1 is not inside the range 198.18.0.0/24");
    assertThat(
            error(
                "{\"type\":\"whereabouts\",\"range\":\"198.18.0.0/24\",\"range_start\":\"198.18.0.9\","
                    + "\"range_end\":\"198.18.0.8\"}"))
        .contains("ipam.range_end: 198.18.0.8 is before the range start 198.18.0.9");
    assertThat(
            error(
                "{\"type\":\"whereabouts\",\"ipRanges\":[{\"range\":\"198.18.0.0/24\"},"
                    + "{\"range\":\"2001:db8::/64\",\"exclude\":[\"nope\"]}]}"))
        .contains("ipam.ipRanges[1].exclude[0]: \"nope\" is neither a CIDR nor an address");
    assertThat(error("{\"type\":\"whereabouts\",\"ipRanges\":[{\"range_start\":\"198.18.0.1\"}]}"))
        .contains("ipam.ipRanges[0].range: is required");
    assertThat(
            error(
                "{\"type\":\"whereabouts\",\"range\":\"198.18.0.0/24\",\"exclude\":[\"2001:db8::/64\"]}"))
        .contains("ipam.exclude[0]: 2001:db8::/64 is not of the range's address family");
    assertThat(error("{\"type\":\"whereabouts\",\"range\":\"198.18.0.0/24\",\"gateway\":\"gw\"}"))
        .contains("ipam.gateway: \"gw\" is not an IP address");
    assertThat(
            error(
                "{\"type\":\"whereabouts\",\"range\":\"198.18.0.0/24\",\"routes\":[{\"dst\":\"x\"}]}"))
        .contains("ipam.routes[0].dst:");
    assertThat(
            error(
                "{\"type\":\"whereabouts\",\"range\":\"198.18.0.0/24\",\"enable_overlapping_ranges\":\"no\"}"))
        .contains("ipam.enable_overlapping_ranges: must be true or false");
    assertThat(
            error(
                "{\"type\":\"whereabouts\",\"range\":\"198.18.0.0/24\",\"node_slice_size\":\"/28\"}"))
        .contains("ipam.node_slice_size: node slices (NodeSlicePool) are not supported");
    assertThatThrownBy(
            () ->
                new WhereaboutsConfigParser(List.of())
                    .parse("{\"type\":\"macvlan\"}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("ipam: missing");
  }

  @Test
  void requestedIpsComeFromEveryPlaceOnce() throws Exception {
    byte[] conf =
        ("{\"type\":\"macvlan\",\"runtimeConfig\":{\"ips\":[\"198.18.70.5/24\"]},"
                + "\"args\":{\"cni\":{\"ips\":[\"198.18.70.5\",\"2001:db8::5\"]}},\"ipam\":{}}")
            .getBytes(StandardCharsets.UTF_8);
    var r = RequestedIps.from(conf, "IgnoreUnknown=1;IP=198.18.70.5/24,198.18.71.9");
    assertThat(r)
        .extracting(x -> x.ip() + "/" + x.prefix())
        .containsExactly("198.18.70.5/24", "2001:db8::5/-1", "198.18.71.9/-1");
    assertThatThrownBy(() -> RequestedIps.from(conf, "IP=198.18.70.5/25"))
        .hasMessageContaining("CNI_ARGS IP[0]: 198.18.70.5 requested with /25 and /24");
  }
}
