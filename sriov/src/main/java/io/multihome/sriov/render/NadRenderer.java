package io.multihome.sriov.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import io.multihome.api.nad.NetworkAttachmentDefinitionSpec;
import io.multihome.api.sriov.SriovNetwork;
import io.multihome.api.sriov.SriovNetworkNodePolicy;
import io.multihome.api.sriov.SriovNetworkSpec;
import io.multihome.sriov.policy.FieldError;
import io.multihome.sriov.policy.InvalidResourceException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Renders a SriovNetwork into the NetworkAttachmentDefinition sriov-network-operator creates for
 * it: same name, in {@code spec.networkNamespace} or the network's own namespace, the device-plugin
 * resource annotation, and a sriov CNI config with upstream's keys in upstream's order (template
 * {@code bindata/manifests/cni-config/sriov/sriov-cni-config.yaml}). Pure: no API calls.
 */
public final class NadRenderer {
  public static final String DEFAULT_RESOURCE_PREFIX = "openshift.io";
  public static final String OWNER_ANNOTATION = "sriovnetwork.openshift.io/owner-ref";
  public static final String CNI_VERSION = "1.0.0";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String resourcePrefix;
  private final SriovNetworkValidator validator;

  public NadRenderer(String resourcePrefix, String operatorNamespace) {
    this.resourcePrefix = resourcePrefix;
    this.validator = new SriovNetworkValidator(operatorNamespace);
  }

  /** Upstream defaults: prefix {@code openshift.io}, no networkNamespace check. */
  public NadRenderer() {
    this(DEFAULT_RESOURCE_PREFIX, null);
  }

  /** Namespace the NAD lives in. */
  public static String targetNamespace(SriovNetwork network) {
    String target = network.getSpec() == null ? null : network.getSpec().getNetworkNamespace();
    return target == null || target.isEmpty() ? network.getMetadata().getNamespace() : target;
  }

  /** Value of the owner annotation: {@code SriovNetwork.sriovnetwork.openshift.io/<ns>/<name>}. */
  public static String ownerAnnotationValue(SriovNetwork network) {
    return "SriovNetwork."
        + SriovNetworkNodePolicy.GROUP
        + "/"
        + network.getMetadata().getNamespace()
        + "/"
        + network.getMetadata().getName();
  }

  /**
   * @throws InvalidResourceException listing every bad field; nothing is rendered then
   */
  public NetworkAttachmentDefinition render(SriovNetwork network) {
    List<FieldError> errors = validator.validate(network);
    if (!errors.isEmpty()) {
      throw new InvalidResourceException(
          "SriovNetwork "
              + network.getMetadata().getNamespace()
              + "/"
              + network.getMetadata().getName(),
          errors);
    }
    String namespace = targetNamespace(network);
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(
        NetworkAttachmentDefinition.RESOURCE_NAME_ANNOTATION,
        resourcePrefix + "/" + network.getSpec().getResourceName());
    annotations.put(OWNER_ANNOTATION, ownerAnnotationValue(network));
    var meta =
        new ObjectMetaBuilder()
            .withName(network.getMetadata().getName())
            .withNamespace(namespace)
            .withAnnotations(annotations);
    String uid = network.getMetadata().getUid();
    // Owner references cannot cross namespaces; cross-namespace NADs are cleaned up by finalizer.
    if (uid != null && namespace.equals(network.getMetadata().getNamespace())) {
      meta.withOwnerReferences(
          new OwnerReferenceBuilder()
              .withApiVersion(SriovNetworkNodePolicy.GROUP + "/v1")
              .withKind("SriovNetwork")
              .withName(network.getMetadata().getName())
              .withUid(uid)
              .withBlockOwnerDeletion(true)
              .withController(true)
              .build());
    }
    var nad = new NetworkAttachmentDefinition();
    nad.setMetadata(meta.build());
    nad.setSpec(new NetworkAttachmentDefinitionSpec(renderConfig(network)));
    return nad;
  }

  /** The CNI config JSON (pretty-printed, as upstream re-indents it). */
  public String renderConfig(SriovNetwork network) {
    SriovNetworkSpec spec = network.getSpec();
    ObjectNode root = JSON.createObjectNode();
    root.put("cniVersion", CNI_VERSION);
    root.put("name", network.getMetadata().getName());
    boolean chained = !SriovNetworkValidator.isBlank(spec.getMetaPlugins());
    ObjectNode sriov = chained ? JSON.createObjectNode() : root;
    sriov.put("type", "sriov");
    sriov.put("vlan", Objects.requireNonNullElse(spec.getVlan(), 0));
    if (spec.getSpoofChk() != null) {
      sriov.put("spoofchk", spec.getSpoofChk().wireValue());
    }
    if (spec.getTrust() != null) {
      sriov.put("trust", spec.getTrust().wireValue());
    }
    // Upstream's field is a plain int that defaults to 0, so vlanQoS is always present.
    sriov.put("vlanQoS", Objects.requireNonNullElse(spec.getVlanQoS(), 0));
    if (spec.getVlanProto() != null) {
      sriov.put("vlanProto", spec.getVlanProto().wireValue());
    }
    if (spec.getMinTxRate() != null) {
      sriov.put("min_tx_rate", spec.getMinTxRate());
    }
    if (spec.getMaxTxRate() != null) {
      sriov.put("max_tx_rate", spec.getMaxTxRate());
    }
    if (!SriovNetworkValidator.isBlank(spec.getCapabilities())) {
      sriov.set("capabilities", parse(spec.getCapabilities()));
    }
    if (spec.getLinkState() != null) {
      sriov.put("link_state", spec.getLinkState().wireValue());
    }
    if (spec.getLogLevel() != null && !spec.getLogLevel().wireValue().isEmpty()) {
      sriov.put("logLevel", spec.getLogLevel().wireValue());
    }
    if (!SriovNetworkValidator.isBlank(spec.getLogFile())) {
      sriov.put("logFile", spec.getLogFile());
    }
    sriov.set(
        "ipam",
        SriovNetworkValidator.isBlank(spec.getIpam())
            ? JSON.createObjectNode()
            : parse(spec.getIpam()));
    if (chained) {
      ArrayNode plugins = root.putArray("plugins");
      plugins.add(sriov);
      parseMetaPlugins(spec.getMetaPlugins()).forEach(plugins::add);
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a JSON tree", e);
    }
  }

  /**
   * Upstream pastes metaPlugins verbatim after the sriov object inside the plugins array, so it is
   * one or more comma-separated JSON objects.
   */
  static ArrayNode parseMetaPlugins(String raw) {
    JsonNode node;
    try {
      node = JSON.readTree("[" + raw + "]");
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "must be comma-separated JSON objects: " + e.getOriginalMessage());
    }
    for (JsonNode plugin : node) {
      if (!plugin.isObject() || !plugin.hasNonNull("type")) {
        throw new IllegalArgumentException("every plugin must be a JSON object with a \"type\"");
      }
    }
    return (ArrayNode) node;
  }

  private static JsonNode parse(String raw) {
    try {
      return JSON.readTree(raw);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
