package io.multihome.controller.cno;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.multihome.api.openshift.NetworkSpec;
import org.junit.jupiter.api.Test;

/** Expected strings from the CNO's own tests (pkg/network/additional_networks_test.go). */
class AdditionalNetworkRendererTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static NetworkSpec spec(String json) throws Exception {
    return JSON.readValue(json, NetworkSpec.class);
  }

  static AdditionalNetworkRenderer.Result render(String entriesJson) throws Exception {
    return AdditionalNetworkRenderer.render(spec("{\"additionalNetworks\": " + entriesJson + "}"));
  }

  @Test
  void simpleMacvlanIsTheCnoTemplateAfterYamlFolding() throws Exception {
    var r =
        render(
            "[{\"type\": \"SimpleMacvlan\", \"name\": \"net-attach-1\", \"namespace\": \"foobar\","
                + " \"simpleMacvlanConfig\": {\"ipamConfig\": {\"type\": \"DHCP\"}, \"master\":"
                + " \"eth0\", \"mode\": \"Bridge\"}}]");
    assertThat(r.problems()).isEmpty();
    var nad = r.nads().get(0);
    assertThat(nad.key()).isEqualTo("foobar/net-attach-1");
    // TestRenderSimpleMacvlanConfig's expected spec.config, verbatim.
    assertThat(nad.config())
        .isEqualTo(
            "{ \"cniVersion\": \"0.3.1\", \"type\": \"macvlan\",\n\"master\": \"eth0\",\n\"mode\":"
                + " \"bridge\",\n\"ipam\":       { \"type\": \"dhcp\" } }");
    assertThat(JSON.readTree(nad.config()).path("mode").asText()).isEqualTo("bridge");
  }

  @Test
  void optionalMacvlanFieldsEachStartALine() throws Exception {
    var none = render("[{\"type\": \"SimpleMacvlan\", \"name\": \"m\"}]").nads().get(0);
    assertThat(none.namespace()).isEqualTo("default");
    assertThat(none.config())
        .isEqualTo(
            "{ \"cniVersion\": \"0.3.1\", \"type\": \"macvlan\",\n\"ipam\":       { \"type\":"
                + " \"dhcp\" } }");
    var mtu =
        render(
                "[{\"type\": \"simplemacvlan\", \"name\": \"m\", \"simpleMacvlanConfig\": {\"mtu\":"
                    + " 9000, \"mode\": \"passthru\"}}]")
            .nads()
            .get(0);
    assertThat(mtu.config())
        .isEqualTo(
            "{ \"cniVersion\": \"0.3.1\", \"type\": \"macvlan\",\n\"mode\": \"passthru\",\n\"mtu\":"
                + " 9000,\n\"ipam\":       { \"type\": \"dhcp\" } }");
    assertThat(JSON.readTree(mtu.config()).path("mtu").asInt()).isEqualTo(9000);
  }

  @Test
  void staticIpamIsGoJsonOfTheCnoStruct() throws Exception {
    // TestGetStaticIPAMConfigJSON's input; field order type, routes, addresses, dns.
    var r =
        render(
            "[{\"type\": \"SimpleMacvlan\", \"name\": \"s\", \"simpleMacvlanConfig\":"
                + " {\"ipamConfig\": {\"type\": \"Static\", \"staticIPAMConfig\": {"
                + "\"addresses\": [{\"address\": \"10.1.1.2/24\", \"gateway\": \"10.1.1.1\"}],"
                + "\"routes\": [{\"destination\": \"0.0.0.0/0\", \"gateway\": \"10.1.1.1\"},"
                + " {\"destination\": \"2001:db8:0:0::5/64\"}],"
                + "\"dns\": {\"nameservers\": [\"10.1.1.1\"], \"domain\": \"macvlantest.example\","
                + " \"search\": [\"testdomain1.example\", \"testdomain2.example\"]}}}}}]");
    assertThat(r.problems()).isEmpty();
    String ipam = JSON.readTree(r.nads().get(0).config()).path("ipam").toString();
    assertThat(ipam)
        .isEqualTo(
            "{\"type\":\"static\",\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.1.1.1\"},"
                + "{\"dst\":\"2001:db8::/64\"}],\"addresses\":[{\"address\":\"10.1.1.2/24\","
                + "\"gateway\":\"10.1.1.1\"}],\"dns\":{\"nameservers\":[\"10.1.1.1\"],\"domain\":"
                + "\"macvlantest.example\",\"search\":[\"testdomain1.example\","
                + "\"testdomain2.example\"]}}");
    assertThat(r.nads().get(0).config())
        .contains("\"ipam\":       {\"type\":\"static\",\"routes\"");
    // TestGetNilStaticIPAMConfigJSON: no static config → the pod supplies "ips".
    var nil =
        render(
            "[{\"type\": \"SimpleMacvlan\", \"name\": \"s\", \"simpleMacvlanConfig\":"
                + " {\"ipamConfig\": {\"type\": \"static\"}}}]");
    assertThat(nil.nads().get(0).config())
        .endsWith("\"ipam\":       {\"type\":\"static\",\"capabilities\":[\"ips\"]} }");
  }

  @Test
  void rawIsTheConfigAsWrittenWithoutTrailingLineBreaks() throws Exception {
    var r =
        render(
            "[{\"type\": \"Raw\", \"name\": \"example\", \"namespace\": \"example\","
                + " \"rawCNIConfig\": \"{\\n  \\\"type\\\": \\\"host-device\\\"\\n}\\n\\n\"},"
                + " {\"type\": \"raw\", \"name\": \"two\", \"rawCNIConfig\": \"{}\"}]");
    assertThat(r.problems()).isEmpty();
    assertThat(r.nads().get(0).config()).isEqualTo("{\n  \"type\": \"host-device\"\n}");
    assertThat(r.nads().get(1).key()).isEqualTo("default/two");
  }

  @Test
  void invalidEntriesAreExplainedAndTheOthersStillRender() throws Exception {
    var r =
        render(
            "[{\"type\": \"Raw\", \"name\": \"a\", \"rawCNIConfig\": \"wrongCNIConfig\"},"
                + " {\"type\": \"Raw\", \"rawCNIConfig\": \"{}\"},"
                + " {\"type\": \"SimpleIPVLAN\", \"name\": \"c\"},"
                + " {\"type\": \"SimpleMacvlan\", \"name\": \"d\", \"simpleMacvlanConfig\":"
                + " {\"mode\": \"invalidMacvlanMode\", \"ipamConfig\": {\"type\": \"invalidIPAM\"}}},"
                + " {\"type\": \"SimpleMacvlan\", \"name\": \"e\", \"simpleMacvlanConfig\":"
                + " {\"ipamConfig\": {\"type\": \"Static\", \"staticIPAMConfig\": {\"addresses\":"
                + " [{\"address\": \"AAA\", \"gateway\": \"BBB\"}], \"routes\": [{\"destination\":"
                + " \"CCC\", \"gateway\": \"DDD\"}]}}}},"
                + " {\"type\": \"Raw\", \"name\": \"ok\", \"rawCNIConfig\": \"{}\"},"
                + " {\"type\": \"Raw\", \"name\": \"ok\", \"rawCNIConfig\": \"{}\"},"
                + " {\"type\": \"SimpleMacvlan\", \"name\": \"f\", \"simpleMacvlanConfig\":"
                + " {\"master\": \"eth0\\\", \\\"x\"}}]");
    assertThat(r.nads()).extracting(RenderedNad::key).containsExactly("default/ok");
    assertThat(r.problems().stream().map(EntryProblem::toString))
        .containsExactly(
            "spec.additionalNetworks[0] (default/a): failed to Unmarshal RawCNIConfig:"
                + " wrongCNIConfig",
            "spec.additionalNetworks[1]: Additional Network Name cannot be nil",
            "spec.additionalNetworks[2] (default/c): unknown or unsupported NetworkType:"
                + " SimpleIPVLAN",
            "spec.additionalNetworks[3] (default/d): invalid IPAM type: invalidIPAM; invalid"
                + " Macvlan mode: invalidMacvlanMode",
            "spec.additionalNetworks[4] (default/e): invalid static address: invalid CIDR"
                + " address: AAA; invalid gateway: BBB; invalid route destination: invalid CIDR"
                + " address: CCC; invalid gateway: DDD",
            "spec.additionalNetworks[6] (default/ok): an earlier entry already renders"
                + " NetworkAttachmentDefinition default/ok",
            "spec.additionalNetworks[7] (default/f): simpleMacvlanConfig.master: \"eth0\","
                + " \"x\" is not an interface name");
  }

  @Test
  void withoutMultusNothingRenders() throws Exception {
    var r =
        AdditionalNetworkRenderer.render(
            spec(
                "{\"disableMultiNetwork\": true, \"additionalNetworks\": [{\"type\": \"Raw\","
                    + " \"name\": \"a\", \"rawCNIConfig\": \"{}\"}]}"));
    assertThat(r.nads()).isEmpty();
    assertThat(r.problems().get(0).message())
        .isEqualTo("additional networks cannot be specified without deploying Multus");
  }

  @Test
  void goFormattingOfAddresses() {
    assertThat(GoText.ipString(GoText.parseIp("2001:DB8:0:0:1:0:0:1")))
        .isEqualTo("2001:db8::1:0:0:1");
    assertThat(GoText.ipString(GoText.parseIp("2001:db8:0:1:1:1:1:1")))
        .isEqualTo("2001:db8:0:1:1:1:1:1");
    assertThat(GoText.parseCidr("198.18.5.7/16").toString()).isEqualTo("198.18.0.0/16");
    assertThat(GoText.parseIp("010.1.1.1")).isNull();
    assertThat(GoText.parseIp("example.com")).isNull();
    assertThat(GoText.parseCidr("10.0.0.0/33")).isNull();
    assertThat(GoText.quote("a<b>&\"c\"")).isEqualTo("\"a\\u003cb\\u003e\\u0026\\\"c\\\"\"");
  }
}
