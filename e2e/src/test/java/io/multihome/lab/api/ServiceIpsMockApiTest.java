package io.multihome.lab.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lab API's Service addresses on its dual-stack service network (198.18.240.0/22 and
 * 2001:db8:240::/112), created with the real kubectl as a user would: ipFamilyPolicy and ipFamilies
 * as kube-apiserver defaults and honours them, headless Services, requested addresses, 422 naming
 * the field for bad values, addresses kept on update and freed on delete.
 */
class ServiceIpsMockApiTest {
  private static LabApiFixture lab;
  private static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    lab = new LabApiFixture();
    kubectl = lab.kubectl();
  }

  @AfterAll
  static void stop() throws Exception {
    lab.close();
  }

  private static Service create(String name, String spec) throws Exception {
    kubectl.runWithInput(service(name, spec), "create", "-f", "-").clean();
    return lab.client.services().withName(name).get();
  }

  @Test
  void singleStackByDefaultDualStackWhenAskedInTheOrderAsked() throws Exception {
    var plain = create("plain", "");
    assertThat(plain.getSpec().getIpFamilyPolicy()).isEqualTo("SingleStack");
    assertThat(plain.getSpec().getIpFamilies()).containsExactly("IPv4");
    assertThat(plain.getSpec().getClusterIP()).startsWith("198.18.24");
    assertThat(plain.getSpec().getClusterIPs()).containsExactly(plain.getSpec().getClusterIP());

    var dual = create("dual", "ipFamilyPolicy: RequireDualStack");
    assertThat(dual.getSpec().getIpFamilies()).containsExactly("IPv4", "IPv6");
    assertThat(dual.getSpec().getClusterIPs()).hasSize(2);
    assertThat(dual.getSpec().getClusterIPs().get(0)).startsWith("198.18.24");
    assertThat(dual.getSpec().getClusterIPs().get(1)).startsWith("2001:db8:240:");
    assertThat(dual.getSpec().getClusterIP()).isEqualTo(dual.getSpec().getClusterIPs().get(0));

    var v6first = create("v6first", "ipFamilyPolicy: PreferDualStack\nipFamilies: [IPv6, IPv4]");
    assertThat(v6first.getSpec().getIpFamilies()).containsExactly("IPv6", "IPv4");
    assertThat(v6first.getSpec().getClusterIP()).startsWith("2001:db8:240:");
    assertThat(v6first.getSpec().getClusterIPs().get(1)).startsWith("198.18.24");
    assertThat(v6first.getSpec().getClusterIPs().get(0))
        .as("IPv6 addresses handed out in order, one each")
        .isNotEqualTo(dual.getSpec().getClusterIPs().get(1));

    var v6 = create("v6", "ipFamilies: [IPv6]");
    assertThat(v6.getSpec().getIpFamilyPolicy()).isEqualTo("SingleStack");
    assertThat(v6.getSpec().getClusterIPs()).singleElement().asString().startsWith("2001:db8:240:");
    assertThat(kubectl.run("get", "svc", "dual", "-o", "jsonpath={.spec.clusterIPs}").clean())
        .isEqualTo(
            "[\""
                + dual.getSpec().getClusterIPs().get(0)
                + "\",\""
                + dual.getSpec().getClusterIPs().get(1)
                + "\"]");
  }

  @Test
  void headlessServicesKeepNoneWithFamiliesAsKubeApiserverDefaultsThem() throws Exception {
    var withSelector = create("headless", "clusterIP: None");
    assertThat(withSelector.getSpec().getClusterIPs()).containsExactly("None");
    assertThat(withSelector.getSpec().getIpFamilyPolicy()).isEqualTo("SingleStack");
    assertThat(withSelector.getSpec().getIpFamilies()).containsExactly("IPv4");

    var dual = create("headless-dual", "clusterIP: None\nipFamilyPolicy: RequireDualStack");
    assertThat(dual.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(dual.getSpec().getIpFamilies()).containsExactly("IPv4", "IPv6");

    String noSelector =
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: headless-nosel
        spec:
          clusterIP: None
          ports: [{port: 80}]
        """;
    kubectl.runWithInput(noSelector, "create", "-f", "-").clean();
    var none = lab.client.services().withName("headless-nosel").get();
    assertThat(none.getSpec().getIpFamilyPolicy()).isEqualTo("RequireDualStack");
    assertThat(none.getSpec().getIpFamilies()).containsExactly("IPv4", "IPv6");
  }

  @Test
  void requestedAddressesAreCheckedBadValuesNameTheFieldAndNothingIsStored() throws Exception {
    var asked =
        create(
            "asked",
            "ipFamilyPolicy: RequireDualStack\nclusterIPs: [198.18.241.7, \"2001:db8:240::7\"]");
    assertThat(asked.getSpec().getClusterIPs()).containsExactly("198.18.241.7", "2001:db8:240::7");

    var taken =
        kubectl.runWithInput(service("taken", "clusterIP: 198.18.241.7"), "create", "-f", "-");
    assertThat(taken.exit()).isNotZero();
    assertThat(taken.err())
        .contains(
            "spec.clusterIPs: Invalid value: [\"198.18.241.7\"]: failed to allocate IP"
                + " 198.18.241.7: provided IP is already allocated");
    var outside =
        kubectl.runWithInput(service("outside", "clusterIP: 203.0.113.9"), "create", "-f", "-");
    assertThat(outside.err()).contains("provided IP is not in the valid range");
    var policy =
        kubectl.runWithInput(service("policy", "ipFamilyPolicy: BothPlease"), "create", "-f", "-");
    assertThat(policy.err())
        .contains(
            "spec.ipFamilyPolicy: Unsupported value: \"BothPlease\": supported values:"
                + " \"PreferDualStack\", \"RequireDualStack\", \"SingleStack\"");
    var family = kubectl.runWithInput(service("family", "ipFamilies: [IPv5]"), "create", "-f", "-");
    assertThat(family.err()).contains("spec.ipFamilies[0]: Unsupported value: \"IPv5\"");
    var single =
        kubectl.runWithInput(
            service("single", "ipFamilyPolicy: SingleStack\nipFamilies: [IPv4, IPv6]"),
            "create",
            "-f",
            "-");
    assertThat(single.err()).contains("spec.ipFamilies: Invalid value");
    for (var name : new String[] {"taken", "outside", "policy", "family", "single"}) {
      assertThat(lab.client.services().withName(name).get()).as(name).isNull();
    }
  }

  @Test
  void updatesKeepTheAddressesAndDeletionFreesThem() throws Exception {
    var svc = create("kept", "ipFamilyPolicy: PreferDualStack\nclusterIPs: [198.18.242.9]");
    var before = svc.getSpec().getClusterIPs();
    assertThat(before).hasSize(2).first().isEqualTo("198.18.242.9");
    kubectl.run("label", "svc", "kept", "tier=web").clean();
    var after = lab.client.services().withName("kept").get();
    assertThat(after.getSpec().getClusterIPs()).isEqualTo(before);
    assertThat(after.getSpec().getIpFamilyPolicy()).isEqualTo("PreferDualStack");
    var change =
        kubectl.run("patch", "svc", "kept", "-p", "{\"spec\":{\"clusterIP\":\"198.18.242.10\"}}");
    assertThat(change.err())
        .contains("spec.clusterIPs[0]: Invalid value: \"198.18.242.10\": may not change once set");

    kubectl.run("delete", "svc", "kept").clean();
    var again = create("kept-again", "clusterIPs: [198.18.242.9]");
    assertThat(again.getSpec().getClusterIP())
        .as("freed by the deletion")
        .isEqualTo("198.18.242.9");
  }

  private static String service(String name, String spec) {
    return """
        apiVersion: v1
        kind: Service
        metadata:
          name: %s
        spec:
          selector: {app: web}
          ports: [{port: 80}]
        %s
        """
        .formatted(name, spec.indent(2));
  }
}
