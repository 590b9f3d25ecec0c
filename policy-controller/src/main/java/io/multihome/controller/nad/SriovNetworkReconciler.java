package io.multihome.controller.nad;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import io.multihome.api.read.MetaMaps;
import io.multihome.api.read.ReadReport;
import io.multihome.api.sriov.SriovNetwork;
import io.multihome.api.sriov.SriovNetworkStatus;
import io.multihome.controller.sriov.Conditions;
import io.multihome.controller.sriov.WarningEvents;
import io.multihome.sriov.policy.InvalidResourceException;
import io.multihome.sriov.render.NadRenderer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one NetworkAttachmentDefinition per SriovNetwork: same name, in {@code networkNamespace} or
 * the network's namespace, rendered by {@link NadRenderer}. A NAD without this network's owner
 * annotation is never touched. Owner references cannot cross namespaces, so the controller's
 * finalizer removes the NAD on deletion, and NADs this network owns in any other namespace (left
 * behind by a {@code networkNamespace} change) are deleted on every reconcile; the NAD informer
 * finds them by owner annotation, so nothing has to be remembered on the network itself.
 */
public final class SriovNetworkReconciler
    implements Reconciler<SriovNetwork>, Cleaner<SriovNetwork> {
  /**
   * JOSDK insists on a domain-qualified finalizer, so upstream's {@code
   * netattdef.finalizers.sriovnetwork.openshift.io} (no slash) cannot be reused.
   */
  public static final String FINALIZER = "multihome.io/nad-cleanup";

  static final String NADS = "sriov-network-nads";
  static final String NAMESPACES = "sriov-network-namespaces";

  private static final Logger LOG = LoggerFactory.getLogger(SriovNetworkReconciler.class);

  private final NadRenderer renderer;
  private final Clock clock;

  public SriovNetworkReconciler(NadRenderer renderer, Clock clock) {
    this.renderer = renderer;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, SriovNetwork>> prepareEventSources(
      EventSourceContext<SriovNetwork> context) {
    // By owner annotation (edits/deletes of our NADs) and by name (a foreign NAD in the way goes).
    var nads =
        InformerEventSourceConfiguration.from(NetworkAttachmentDefinition.class, SriovNetwork.class)
            .withName(NADS)
            .withWatchAllNamespaces()
            .withSecondaryToPrimaryMapper(
                nad -> {
                  var ids = new HashSet<ResourceID>();
                  NadOwnership.owner(nad).ifPresent(ids::add);
                  ids.addAll(
                      networksTargeting(
                          context, nad.getMetadata().getNamespace(), nad.getMetadata().getName()));
                  return ids;
                })
            .build();
    var namespaces =
        InformerEventSourceConfiguration.from(Namespace.class, SriovNetwork.class)
            .withName(NAMESPACES)
            .withSecondaryToPrimaryMapper(
                ns -> networksTargeting(context, ns.getMetadata().getName(), null))
            .withOnUpdateFilter((n, o) -> false)
            .build();
    return List.of(
        new InformerEventSource<>(nads, context), new InformerEventSource<>(namespaces, context));
  }

  @Override
  public UpdateControl<SriovNetwork> reconcile(
      SriovNetwork network, Context<SriovNetwork> context) {
    KubernetesClient client = context.getClient();
    // What the user wrote; a status that cannot be read is ours and simply rewritten.
    var problems = ReadReport.of(network).problemsOutside("status");
    if (!problems.isEmpty()) {
      // Skipped, not guessed: the NAD in place (if any) stays as it is.
      return record(
          network,
          NetworkStatusFactory.invalid(
              ReadReport.describe(problems) + "; the NetworkAttachmentDefinition is left as it is"),
          context);
    }
    Conditions.Wanted wanted;
    try {
      wanted = sync(network, renderer.render(network), client, context);
    } catch (InvalidResourceException e) {
      // Bad input is permanent: explain it and keep whatever NAD is in place.
      wanted = NetworkStatusFactory.invalid(e.getMessage());
    }
    return record(network, wanted, context);
  }

  @Override
  public DeleteControl cleanup(SriovNetwork network, Context<SriovNetwork> context) {
    KubernetesClient client = context.getClient();
    var target =
        client
            .resources(NetworkAttachmentDefinition.class)
            .inNamespace(NadRenderer.targetNamespace(network))
            .withName(network.getMetadata().getName())
            .get();
    Stream.concat(Stream.ofNullable(target), owned(context, network).stream())
        .filter(nad -> NadOwnership.isOwnedBy(nad, network))
        .forEach(nad -> delete(client, nad, "its SriovNetwork was deleted"));
    return DeleteControl.defaultDelete();
  }

  private Conditions.Wanted sync(
      SriovNetwork network,
      NetworkAttachmentDefinition desired,
      KubernetesClient client,
      Context<SriovNetwork> context) {
    String namespace = desired.getMetadata().getNamespace();
    String name = desired.getMetadata().getName();
    // NADs this network left in a namespace it no longer targets.
    owned(context, network).stream()
        .filter(nad -> !namespace.equals(nad.getMetadata().getNamespace()))
        .forEach(nad -> delete(client, nad, "networkNamespace is now " + namespace));

    if (client.namespaces().withName(namespace).get() == null) {
      return NetworkStatusFactory.namespaceMissing(namespace);
    }
    var nads = client.resources(NetworkAttachmentDefinition.class).inNamespace(namespace);
    NetworkAttachmentDefinition existing = nads.withName(name).get();
    if (existing == null) {
      nads.resource(desired).create();
      LOG.info("created NetworkAttachmentDefinition {}/{}", namespace, name);
    } else if (!NadOwnership.isOwnedBy(existing, network)) {
      return NetworkStatusFactory.notOwned(
          namespace, name, NadOwnership.ownerAnnotation(existing).orElse(null));
    } else if (!upToDate(existing, desired)) {
      nads.resource(merge(existing, desired, client)).update();
      LOG.info("updated NetworkAttachmentDefinition {}/{}", namespace, name);
    }
    return NetworkStatusFactory.ready(namespace, name);
  }

  /** Writes the Ready condition only when it changed; a new problem also becomes an event. */
  private UpdateControl<SriovNetwork> record(
      SriovNetwork network, Conditions.Wanted wanted, Context<SriovNetwork> context) {
    var conditions = network.getStatus() == null ? null : network.getStatus().getConditions();
    Long generation = network.getMetadata().getGeneration();
    if (Conditions.matches(Conditions.find(conditions, wanted.type()), wanted, generation)) {
      return UpdateControl.noUpdate();
    }
    // Written here, not through UpdateControl, so the cache holds the new status before the next
    // reconcile (else a quick second event sees the old status and warns twice). A status update
    // with the resourceVersion (retried on conflict against a fresh read), not a merge patch:
    // fabric8's CRUD mock merges lists in JSON merge patches, which would duplicate conditions.
    PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(
        network,
        context,
        fresh -> {
          var current = fresh.getStatus() == null ? null : fresh.getStatus().getConditions();
          var status = new SriovNetworkStatus();
          status.setConditions(Conditions.upsert(current, wanted, generation, clock));
          fresh.setStatus(status);
          return fresh;
        });
    if (!wanted.status()) {
      new WarningEvents(context.getClient(), clock)
          .warn(network, wanted.reason(), wanted.message());
    }
    return UpdateControl.noUpdate();
  }

  private static boolean upToDate(
      NetworkAttachmentDefinition existing, NetworkAttachmentDefinition desired) {
    var annotations = existing.getMetadata().getAnnotations();
    return Objects.equals(existing.getSpec(), desired.getSpec())
        && annotations != null
        && annotations.entrySet().containsAll(desired.getMetadata().getAnnotations().entrySet())
        && existing
            .getMetadata()
            .getOwnerReferences()
            .containsAll(desired.getMetadata().getOwnerReferences());
  }

  /** Our spec, annotations and owner reference over the live object; other metadata is kept. */
  private static NetworkAttachmentDefinition merge(
      NetworkAttachmentDefinition existing,
      NetworkAttachmentDefinition desired,
      KubernetesClient client) {
    var merged = client.getKubernetesSerialization().clone(existing);
    var annotations = new LinkedHashMap<String, String>(MetaMaps.annotations(existing));
    annotations.putAll(desired.getMetadata().getAnnotations());
    merged.getMetadata().setAnnotations(annotations);
    Set<String> ourUids =
        desired.getMetadata().getOwnerReferences().stream()
            .map(OwnerReference::getUid)
            .collect(Collectors.toSet());
    var owners = new ArrayList<OwnerReference>();
    existing.getMetadata().getOwnerReferences().stream()
        .filter(o -> !ourUids.contains(o.getUid()))
        .forEach(owners::add);
    owners.addAll(desired.getMetadata().getOwnerReferences());
    merged.getMetadata().setOwnerReferences(owners);
    merged.setSpec(desired.getSpec());
    return merged;
  }

  private static void delete(KubernetesClient client, NetworkAttachmentDefinition nad, String why) {
    client
        .resources(NetworkAttachmentDefinition.class)
        .inNamespace(nad.getMetadata().getNamespace())
        .withName(nad.getMetadata().getName())
        .delete();
    LOG.info(
        "deleted NetworkAttachmentDefinition {}/{}: {}",
        nad.getMetadata().getNamespace(),
        nad.getMetadata().getName(),
        why);
  }

  @SuppressWarnings("unchecked")
  private static List<NetworkAttachmentDefinition> owned(
      Context<SriovNetwork> context, SriovNetwork network) {
    var source =
        (InformerEventSource<NetworkAttachmentDefinition, SriovNetwork>)
            context
                .eventSourceRetriever()
                .getEventSourceFor(NetworkAttachmentDefinition.class, NADS);
    return source.list(nad -> NadOwnership.isOwnedBy(nad, network)).toList();
  }

  /** Networks whose NAD goes to {@code namespace} (and is called {@code name}, unless null). */
  private static Set<ResourceID> networksTargeting(
      EventSourceContext<SriovNetwork> context, String namespace, String name) {
    return context
        .getPrimaryCache()
        .list(
            n ->
                namespace.equals(NadRenderer.targetNamespace(n))
                    && (name == null || name.equals(n.getMetadata().getName())))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }
}
