package io.multihome.sriov.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.multihome.api.sriov.SriovNetwork;
import io.multihome.api.sriov.SriovNetworkSpec;
import io.multihome.api.sriov.VlanProto;
import io.multihome.sriov.policy.FieldError;
import io.multihome.sriov.policy.PolicyValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks a SriovNetwork before it is rendered: the CRD bounds, the webhook's networkNamespace rule
 * and the checks sriov-cni would only make at pod start (VLAN QoS/proto need a VLAN, the raw JSON
 * fields must parse), so a broken network is reported on its status instead of failing pods.
 */
public final class SriovNetworkValidator {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String operatorNamespace;

  /**
   * @param operatorNamespace where cluster-wide networks live; only networks there may target
   *     another namespace with {@code networkNamespace}. Null disables that check.
   */
  public SriovNetworkValidator(String operatorNamespace) {
    this.operatorNamespace = operatorNamespace;
  }

  public List<FieldError> validate(SriovNetwork network) {
    var errors = new ArrayList<FieldError>();
    if (network.getMetadata() == null || isBlank(network.getMetadata().getName())) {
      errors.add(new FieldError("metadata.name", "is required"));
    }
    SriovNetworkSpec spec = network.getSpec();
    if (spec == null) {
      errors.add(new FieldError("spec", "is required"));
      return errors;
    }
    if (isBlank(spec.getResourceName())) {
      errors.add(new FieldError("spec.resourceName", "is required"));
    } else if (!PolicyValidator.RESOURCE_NAME.matcher(spec.getResourceName()).matches()) {
      errors.add(
          new FieldError(
              "spec.resourceName",
              "\"" + spec.getResourceName() + "\" must match " + PolicyValidator.RESOURCE_NAME));
    }
    int vlan = Objects.requireNonNullElse(spec.getVlan(), 0);
    if (vlan < 0 || vlan > 4094) {
      errors.add(new FieldError("spec.vlan", vlan + " is outside 0-4094"));
    }
    int qos = Objects.requireNonNullElse(spec.getVlanQoS(), 0);
    if (qos < 0 || qos > 7) {
      errors.add(new FieldError("spec.vlanQoS", qos + " is outside 0-7"));
    } else if (qos != 0 && vlan == 0) {
      errors.add(new FieldError("spec.vlanQoS", "needs a non-zero spec.vlan"));
    }
    if ((spec.getVlanProto() == VlanProto.DOT1AD
            || spec.getVlanProto() == VlanProto.DOT1AD_UPPERCASE)
        && vlan == 0) {
      errors.add(new FieldError("spec.vlanProto", "802.1ad needs a non-zero spec.vlan"));
    }
    nonNegative(errors, "spec.minTxRate", spec.getMinTxRate());
    nonNegative(errors, "spec.maxTxRate", spec.getMaxTxRate());
    jsonObject(errors, "spec.capabilities", spec.getCapabilities());
    jsonObject(errors, "spec.ipam", spec.getIpam());
    if (!isBlank(spec.getMetaPlugins())) {
      try {
        NadRenderer.parseMetaPlugins(spec.getMetaPlugins());
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("spec.metaPlugins", e.getMessage()));
      }
    }
    String ownNamespace =
        network.getMetadata() == null ? null : network.getMetadata().getNamespace();
    if (operatorNamespace != null
        && !isBlank(spec.getNetworkNamespace())
        && !spec.getNetworkNamespace().equals(ownNamespace)
        && !operatorNamespace.equals(ownNamespace)) {
      errors.add(
          new FieldError(
              "spec.networkNamespace",
              "may only be set on networks in the operator namespace "
                  + operatorNamespace
                  + "; a network in "
                  + ownNamespace
                  + " always renders its NetworkAttachmentDefinition there"));
    }
    return errors;
  }

  private static void nonNegative(List<FieldError> errors, String path, Integer value) {
    if (value != null && value < 0) {
      errors.add(new FieldError(path, value + " must not be negative"));
    }
  }

  private static void jsonObject(List<FieldError> errors, String path, String raw) {
    if (isBlank(raw)) {
      return;
    }
    try {
      JsonNode node = JSON.readTree(raw);
      if (node == null || !node.isObject()) {
        errors.add(new FieldError(path, "must be a JSON object"));
      }
    } catch (JsonProcessingException e) {
      errors.add(new FieldError(path, "is not valid JSON: " + e.getOriginalMessage()));
    }
  }

  static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
