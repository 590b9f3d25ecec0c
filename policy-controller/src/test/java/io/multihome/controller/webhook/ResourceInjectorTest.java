package io.multihome.controller.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResourceInjectorTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String RN = "k8s.v1.cni.cncf.io/resourceName";

  final Map<String, Map<String, String>> nads = new HashMap<>();
  InjectorSettings settings = InjectorSettings.defaults();

  ResourceInjectorTest() {
    nads.put("apps/sriov-a", Map.of(RN, "openshift.io/intelnics"));
    nads.put("apps/sriov-b", Map.of(RN, "openshift.io/mlxnics"));
    nads.put("apps/plain", Map.of());
    nads.put("infra/bridge-dev", Map.of(RN, "bridge.network.kubevirt.io/bridge-dev"));
    nads.put(
        "apps/pinned",
        Map.of(
            RN, "openshift.io/intelnics", ResourceInjector.NODE_SELECTOR_ANNOTATION, "zone=red"));
    nads.put("apps/bad-selector", Map.of(ResourceInjector.NODE_SELECTOR_ANNOTATION, "a=b=c"));
  }

  Admission decide(String podJson) throws Exception {
    NadLookup lookup = (ns, name) -> Optional.ofNullable(nads.get(ns + "/" + name));
    return new ResourceInjector(lookup, settings).decide(JSON.readTree(podJson), "apps");
  }

  /** The pod after the API server applied the patch. */
  JsonNode mutated(String podJson) throws Exception {
    var decision = decide(podJson);
    assertThat(decision).isInstanceOf(Admission.Allow.class);
    return JsonPatch.apply(((Admission.Allow) decision).patch(), JSON.readTree(podJson));
  }

  static String pod(String networks, String containers) {
    String annotations =
        networks == null
            ? "{}"
            : "{\"k8s.v1.cni.cncf.io/networks\": " + JSON.valueToTree(networks) + "}";
    return "{\"metadata\": {\"name\": \"p\", \"labels\": {\"app\": \"x\"}, \"annotations\": "
        + annotations
        + "}, \"spec\": {\"containers\": "
        + containers
        + "}}";
  }

  static final String ONE = "[{\"name\": \"c\", \"image\": \"i\"}]";

  @Test
  void aPodWithoutNetworksIsLeftAlone() throws Exception {
    var d = decide(pod(null, ONE));
    assertThat(d).isInstanceOf(Admission.Allow.class);
    assertThat(((Admission.Allow) d).patch()).isEmpty();
  }

  @Test
  void eachAttachmentAddsOneOfItsResourceToTheFirstContainer() throws Exception {
    var after = mutated(pod("sriov-a, sriov-a@net2, sriov-b, plain, infra/bridge-dev", ONE + ""));
    var resources = after.at("/spec/containers/0/resources");
    assertThat(resources.at("/requests/openshift.io~1intelnics").asText()).isEqualTo("2");
    assertThat(resources.at("/limits/openshift.io~1intelnics").asText()).isEqualTo("2");
    assertThat(resources.at("/requests/openshift.io~1mlxnics").asText()).isEqualTo("1");
    assertThat(resources.at("/limits/bridge.network.kubevirt.io~1bridge-dev").asText())
        .isEqualTo("1");
    assertThat(resources.path("requests").size()).isEqualTo(3);
  }

  @Test
  void theJsonFormAndTheDefaultNetworkCountToo() throws Exception {
    String json =
        "{\"metadata\": {\"annotations\": {"
            + "\"k8s.v1.cni.cncf.io/networks\": \"[{\\\"name\\\": \\\"sriov-b\\\", \\\"interface\\\": \\\"net1\\\"}]\","
            + "\"v1.multus-cni.io/default-network\": \"apps/sriov-b\"}},"
            + "\"spec\": {\"containers\": [{\"name\": \"c\"}, {\"name\": \"d\"}]}}";
    var after = mutated(json);
    assertThat(after.at("/spec/containers/0/resources/requests/openshift.io~1mlxnics").asText())
        .isEqualTo("2");
    assertThat(after.at("/spec/containers/1/resources").isMissingNode()).isTrue();
  }

  @Test
  void podNetInfoIsMountedInEveryContainerWhenResourcesAreInjected() throws Exception {
    var after =
        mutated(
            pod(
                "sriov-a",
                "[{\"name\": \"a\"}, {\"name\": \"b\", \"volumeMounts\": [{\"name\": \"data\","
                    + " \"mountPath\": \"/data\"}]}]"));
    for (int i = 0; i < 2; i++) {
      var mounts = after.at("/spec/containers/" + i + "/volumeMounts");
      var last = mounts.get(mounts.size() - 1);
      assertThat(last.path("name").asText()).isEqualTo("podnetinfo");
      assertThat(last.path("mountPath").asText()).isEqualTo("/etc/podnetinfo");
      assertThat(last.path("readOnly").asBoolean()).isTrue();
    }
    var volume = after.at("/spec/volumes/0");
    assertThat(volume.path("name").asText()).isEqualTo("podnetinfo");
    assertThat(volume.at("/downwardAPI/items").toString())
        .isEqualTo(
            "[{\"path\":\"labels\",\"fieldRef\":{\"fieldPath\":\"metadata.labels\"}},"
                + "{\"path\":\"annotations\",\"fieldRef\":{\"fieldPath\":\"metadata.annotations\"}}]");
    // Nothing to inject: no volume either.
    assertThat(mutated(pod("plain", ONE)).at("/spec/volumes").isMissingNode()).isTrue();
  }

  @Test
  void aResourceTheUserAlreadyNamedIsKeptAsWritten() throws Exception {
    String containers =
        "[{\"name\": \"a\", \"resources\": {\"requests\": {\"cpu\": \"1\"}}},"
            + " {\"name\": \"b\", \"resources\": {\"limits\": {\"openshift.io/intelnics\": \"4\"}}}]";
    var after = mutated(pod("sriov-a, sriov-b", containers));
    var first = after.at("/spec/containers/0/resources");
    assertThat(first.path("requests").has("openshift.io/intelnics")).isFalse();
    assertThat(first.at("/requests/openshift.io~1mlxnics").asText()).isEqualTo("1");
    assertThat(first.at("/requests/cpu").asText()).isEqualTo("1");
    assertThat(after.at("/spec/containers/1/resources/limits/openshift.io~1intelnics").asText())
        .isEqualTo("4");
  }

  @Test
  void honoringExistingResourcesAddsToTheFirstContainersValues() throws Exception {
    settings = settings.withHonorExistingResources(true);
    String containers =
        "[{\"name\": \"a\", \"resources\": {\"requests\": {\"openshift.io/intelnics\": \"3\"},"
            + " \"limits\": {\"openshift.io/intelnics\": \"3\"}}}]";
    var after = mutated(pod("sriov-a, sriov-a", containers));
    assertThat(after.at("/spec/containers/0/resources/requests/openshift.io~1intelnics").asText())
        .isEqualTo("5");
    assertThat(after.at("/spec/containers/0/resources/limits/openshift.io~1intelnics").asText())
        .isEqualTo("5");
  }

  @Test
  void aNadNodeSelectorJoinsThePods() throws Exception {
    String json =
        pod("pinned", ONE)
            .replace("\"spec\": {", "\"spec\": {\"nodeSelector\": {\"disk\": \"ssd\"}, ");
    var after = mutated(json);
    assertThat(after.at("/spec/nodeSelector").toString())
        .isEqualTo("{\"disk\":\"ssd\",\"zone\":\"red\"}");
  }

  @Test
  void badInputIsDeniedWithAClearMessage() throws Exception {
    assertThat(decide(pod("sriov-a, missing", ONE)))
        .isEqualTo(
            new Admission.Deny("could not find network attachment definition 'apps/missing'"));
    assertThat(decide(pod("other/sriov-a", ONE)))
        .isEqualTo(
            new Admission.Deny("could not find network attachment definition 'other/sriov-a'"));
    var bad = (Admission.Deny) decide(pod("sriov-a,,sriov-b", ONE));
    assertThat(bad.message())
        .isEqualTo(
            "invalid network selection: k8s.v1.cni.cncf.io/networks[1]: empty element (stray comma?)");
    var json = (Admission.Deny) decide(pod("[{\"name\": \"sriov-a\", \"mac\": \"zz\"}]", ONE));
    assertThat(json.message())
        .startsWith("invalid network selection: k8s.v1.cni.cncf.io/networks[0].mac:");
    assertThat(((Admission.Deny) decide(pod("bad-selector", ONE))).message())
        .isEqualTo("node selector in net-attach-def apps/bad-selector has more than one label");
  }

  @Test
  void aContainerWithoutResourcesGetsTheObjectFirst() throws Exception {
    var decision = (Admission.Allow) decide(pod("sriov-a", ONE));
    assertThat(decision.patch().get(0).toString())
        .isEqualTo("{\"op\":\"add\",\"path\":\"/spec/containers/0/resources\",\"value\":{}}");
    // With the object present (the API server's own JSON) the patch starts as upstream's does.
    var withObject =
        (Admission.Allow) decide(pod("sriov-a", "[{\"name\": \"c\", \"resources\": {}}]"));
    assertThat(withObject.patch().get(0).toString())
        .isEqualTo(
            "{\"op\":\"add\",\"path\":\"/spec/containers/0/resources/requests\",\"value\":{}}");
    assertThat(withObject.patch().get(2).toString())
        .isEqualTo(
            "{\"op\":\"add\",\"path\":\"/spec/containers/0/resources/requests/openshift.io~1intelnics\",\"value\":\"1\"}");
  }
}
