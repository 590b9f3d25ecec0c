package io.multihome.controller.sriov;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.multihome.api.sriov.SriovNetworkNodePolicy;
import java.util.Arrays;
import java.util.List;

/**
 * Reads and writes {@code status.conditions} of a policy. Upstream's policy status is empty and the
 * CRD keeps it schemaless ({@code x-kubernetes-preserve-unknown-fields}), so the conditions are
 * stored as plain JSON next to whatever else a server put there.
 */
public final class PolicyStatus {
  public static final String CONDITION_ACCEPTED = "Accepted";
  public static final String REASON_ACCEPTED = "PolicyAccepted";
  public static final String REASON_REJECTED = "PolicyRejected";

  /** Outside the operator namespace: admitted, never used (upstream's webhook warns the same). */
  public static final String REASON_WRONG_NAMESPACE = "NotInOperatorNamespace";

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private PolicyStatus() {}

  public static List<Condition> conditions(SriovNetworkNodePolicy policy) {
    ObjectNode status = policy.getStatus();
    JsonNode node = status == null ? null : status.get("conditions");
    if (node == null || !node.isArray()) {
      return List.of();
    }
    return Arrays.asList(JSON.convertValue(node, Condition[].class));
  }

  /** Replaces the conditions, keeping every other status field. */
  public static void setConditions(SriovNetworkNodePolicy policy, List<Condition> conditions) {
    ObjectNode status =
        policy.getStatus() == null ? JsonNodeFactory.instance.objectNode() : policy.getStatus();
    status.set("conditions", JSON.convertValue(conditions, JsonNode.class));
    policy.setStatus(status);
  }
}
