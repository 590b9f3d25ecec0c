package io.multihome.lab.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One served resource: what discovery lists, what tables and validation need.
 *
 * @param group API group ("" for the core group)
 * @param versions served versions, the preferred (storage) one first
 * @param plural resource name in paths
 * @param kind object kind
 * @param namespaced whether objects live in namespaces
 * @param shortNames kubectl aliases
 * @param subresources e.g. {@code status}, {@code log}
 * @param columns a CRD's additionalPrinterColumns per version (empty for built-in kinds)
 * @param schemas a CRD's openAPIV3Schema per version (empty for built-in kinds)
 */
public record ResourceType(
    String group,
    List<String> versions,
    String plural,
    String kind,
    boolean namespaced,
    List<String> shortNames,
    List<String> subresources,
    java.util.Map<String, List<PrinterColumn>> columns,
    java.util.Map<String, JsonNode> schemas) {

  /** A CRD printer column. */
  public record PrinterColumn(
      String name, String type, String format, String jsonPath, int priority, String description) {}

  public boolean custom() {
    return !schemas.isEmpty() || !columns.isEmpty();
  }

  public String preferredVersion() {
    return versions.get(0);
  }

  public String apiVersion(String version) {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** {@code nodenetworkconfigurationpolicies.nmstate.io}, {@code pods}. */
  public String qualifiedName() {
    return ApiResponse.qualified(plural, group);
  }

  /** {@code NodeNetworkConfigurationPolicy.nmstate.io}, {@code Pod}: as error messages say. */
  public String qualifiedKind() {
    return group.isEmpty() ? kind : kind + "." + group;
  }

  public String singular() {
    return kind.toLowerCase(java.util.Locale.ROOT);
  }

  /** The path of the collection in {@code namespace} (ignored when cluster-scoped). */
  public String collectionPath(String version, String namespace) {
    String prefix = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    return namespaced && namespace != null
        ? prefix + "/namespaces/" + namespace + "/" + plural
        : prefix + "/" + plural;
  }

  public String objectPath(String version, String namespace, String name) {
    return collectionPath(version, namespace) + "/" + name;
  }
}
