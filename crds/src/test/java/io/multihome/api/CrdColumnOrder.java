package io.multihome.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicyV1beta1;
import io.multihome.api.nmstate.NodeNetworkState;
import io.multihome.api.sriov.SriovNetwork;
import io.multihome.api.sriov.SriovNetworkNodePolicy;
import io.multihome.api.sriov.SriovNetworkNodeState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Puts printer columns back in the order the classes declare them. crd-generator sorts them by JSON
 * path, which would show kubectl users {@code REASON STATUS} where kubernetes-nmstate shows {@code
 * STATUS REASON}; the committed CRDs keep the declared (upstream) order.
 */
final class CrdColumnOrder {
  static final List<Class<? extends HasMetadata>> RESOURCES =
      List.of(
          NodeNetworkConfigurationPolicy.class,
          NodeNetworkConfigurationPolicyV1beta1.class,
          NodeNetworkConfigurationEnactment.class,
          NodeNetworkState.class,
          SriovNetworkNodePolicy.class,
          SriovNetworkNodeState.class,
          SriovNetwork.class,
          NetworkAttachmentDefinition.class,
          io.multihome.api.openshift.Network.class);

  private CrdColumnOrder() {}

  /** Reorders every version's additionalPrinterColumns of {@code crd} in place. */
  static ObjectNode apply(ObjectNode crd) {
    String group = crd.path("spec").path("group").asText();
    String plural = crd.path("spec").path("names").path("plural").asText();
    for (JsonNode version : crd.path("spec").path("versions")) {
      if (version.get("additionalPrinterColumns") instanceof ArrayNode columns) {
        List<String> declared = declaredPaths(group, plural, version.path("name").asText());
        var sorted = new ArrayList<JsonNode>();
        columns.forEach(sorted::add);
        sorted.sort(Comparator.comparingInt(c -> rank(declared, c.path("jsonPath").asText())));
        columns.removeAll();
        columns.addAll(sorted);
      }
    }
    return crd;
  }

  /** JSON paths of the columns declared on the class serving that group/plural/version. */
  static List<String> declaredPaths(String group, String plural, String version) {
    return RESOURCES.stream()
        .filter(
            c ->
                HasMetadata.getGroup(c).equals(group)
                    && HasMetadata.getPlural(c).equals(plural)
                    && HasMetadata.getVersion(c).equals(version))
        .findFirst()
        .map(
            c ->
                Arrays.stream(c.getAnnotationsByType(AdditionalPrinterColumn.class))
                    .map(AdditionalPrinterColumn::jsonPath)
                    .toList())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no class serves " + plural + "." + group + "/" + version));
  }

  private static int rank(List<String> declared, String path) {
    int i = declared.indexOf(path);
    return i < 0 ? Integer.MAX_VALUE : i;
  }
}
