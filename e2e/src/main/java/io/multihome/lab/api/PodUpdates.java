package io.multihome.lab.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The API server's pod update validation: a pod's spec is fixed once created, except container
 * images, {@code activeDeadlineSeconds}, added tolerations and {@code
 * terminationGracePeriodSeconds}. In particular {@code spec.nodeName} is set on create or by a
 * binding ({@code pods/binding}, the scheduler's write), never by an update — so a client that
 * patches it gets the 422 a cluster gives, and the lab's scheduler has to bind as a real one does.
 */
final class PodUpdates implements Admission {
  static final String FORBIDDEN =
      "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
          + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only"
          + " additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to"
          + " be set to 1 if it was previously negative)";

  @Override
  public Optional<ApiResponse> admit(Write w) {
    if (w.operation() != Operation.UPDATE
        || w.subresource() != null
        || !w.type().group().isEmpty()
        || !w.type().kind().equals("Pod")
        || w.old() == null) {
      return Optional.empty();
    }
    var changed = changedFields(w.old().path("spec"), w.object().path("spec"));
    if (changed.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        CrdSchemas.invalid(
            w.type(),
            w.object().path("metadata").path("name").asText(),
            List.of(
                new CrdSchemas.FieldError(
                    "spec",
                    "FieldValueForbidden",
                    FORBIDDEN + "; changed: " + String.join(", ", changed)))));
  }

  /** The spec fields an update changed that it may not change (empty: the update is allowed). */
  static List<String> changedFields(JsonNode oldSpec, JsonNode newSpec) {
    var a = mutableRemoved(oldSpec);
    var b = mutableRemoved(newSpec);
    var out = new TreeSet<String>();
    var names = new TreeSet<String>();
    a.fieldNames().forEachRemaining(names::add);
    b.fieldNames().forEachRemaining(names::add);
    for (String n : names) {
      if (!a.path(n).equals(b.path(n))) {
        out.add("spec." + n);
      }
    }
    if (!tolerationsOnlyAdded(oldSpec.path("tolerations"), newSpec.path("tolerations"))) {
      out.add("spec.tolerations");
    }
    long oldGrace = oldSpec.path("terminationGracePeriodSeconds").asLong(30);
    JsonNode newGrace = newSpec.path("terminationGracePeriodSeconds");
    if (!newGrace.isMissingNode()
        && newGrace.asLong() != oldGrace
        && !(oldGrace < 0 && newGrace.asLong() == 1)) {
      out.add("spec.terminationGracePeriodSeconds");
    }
    return new ArrayList<>(out);
  }

  /** The spec without what updates may change (images, deadline, tolerations, grace period). */
  private static ObjectNode mutableRemoved(JsonNode spec) {
    var copy = spec instanceof ObjectNode o ? o.deepCopy() : ApiContext.JSON.createObjectNode();
    copy.remove(List.of("activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds"));
    for (String list : List.of("containers", "initContainers")) {
      if (copy.get(list) instanceof ArrayNode containers) {
        for (JsonNode c : containers) {
          if (c instanceof ObjectNode co) {
            co.remove("image");
          }
        }
      }
    }
    return copy;
  }

  private static boolean tolerationsOnlyAdded(JsonNode before, JsonNode after) {
    var remaining = new ArrayList<JsonNode>();
    after.forEach(remaining::add);
    for (JsonNode t : before) {
      boolean found = false;
      for (Iterator<JsonNode> it = remaining.iterator(); it.hasNext(); ) {
        if (it.next().equals(t)) {
          it.remove();
          found = true;
          break;
        }
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }
}
