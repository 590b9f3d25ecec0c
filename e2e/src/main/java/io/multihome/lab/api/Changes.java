package io.multihome.lab.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What follows a committed change, in commit order: CRDs (de)register their resource, a deleted
 * Service frees its cluster IP, and the change goes to the watches.
 */
final class Changes {
  private static final Logger log = LoggerFactory.getLogger(Changes.class);

  private Changes() {}

  static void apply(ApiContext ctx, LabStore.Change change) {
    var at = ResourcePath.parse(change.path());
    if (at != null
        && at.group().equals("apiextensions.k8s.io")
        && at.plural().equals("customresourcedefinitions")) {
      try {
        var crd = ApiContext.JSON.treeToValue(change.object(), CustomResourceDefinition.class);
        if (change.type().equals("DELETED")) {
          ctx.registry().removeCrd(crd.getSpec().getGroup(), crd.getSpec().getNames().getPlural());
        } else {
          ctx.registry().addCrd(crd);
        }
      } catch (Exception e) {
        log.warn("CRD {}: {}", change.object().path("metadata").path("name"), e.toString());
      }
    }
    if (change.type().equals("DELETED")
        && at != null
        && at.group().isEmpty()
        && at.plural().equals("services")) {
      ctx.defaults().released(change.object());
    }
    long rv = change.object().path("metadata").path("resourceVersion").asLong(0);
    ctx.hub().publish(new WatchHub.Event(rv, change.type(), change.object(), at));
  }
}
