package io.multihome.controller.cno;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.multihome.api.events.WarningEventWriter;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import io.multihome.api.nad.NetworkAttachmentDefinitionSpec;
import io.multihome.api.openshift.Network;
import io.multihome.api.openshift.NetworkSpec;
import io.multihome.api.read.ReadReport;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one NetworkAttachmentDefinition per valid {@code spec.additionalNetworks} entry of the
 * Network {@code cluster} ({@link AdditionalNetworkRenderer}): creates it, rewrites its config when
 * the entry changes, deletes the NADs it rendered whose entry is gone. A NAD it did not render (no
 * controller reference to the Network, {@link NadOwner}) is never touched, even when an entry names
 * it. Every entry that cannot be rendered or applied is listed in the {@code Degraded} condition
 * and becomes a Warning event; its existing NAD is left as it was. An entry with fields that cannot
 * be read (a wrong type) is such an entry; a field outside the entries that cannot be read changes
 * nothing at all (see {@link NetworkReadProblems}). {@code managementState: Unmanaged} leaves
 * everything alone, as in the CNO.
 */
public final class AdditionalNetworksReconciler implements Reconciler<Network> {
  public static final String NAME = "cno-additional-networks";
  static final String NADS = "cno-nads";
  static final String NAMESPACES = "cno-namespaces";
  static final String EVENT_COMPONENT = "multihome-network-operator";
  private static final Logger log = LoggerFactory.getLogger(AdditionalNetworksReconciler.class);
  private static final ResourceID CLUSTER = new ResourceID(Network.CLUSTER);

  private final Clock clock;

  public AdditionalNetworksReconciler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, Network>> prepareEventSources(EventSourceContext<Network> context) {
    var nads =
        InformerEventSourceConfiguration.from(NetworkAttachmentDefinition.class, Network.class)
            .withName(NADS)
            .withWatchAllNamespaces()
            .withSecondaryToPrimaryMapper(
                nad ->
                    NadOwner.ownedByCluster(nad) || named(context, nad)
                        ? Set.of(CLUSTER)
                        : Set.of())
            .build();
    // A namespace an entry waits for may be created later.
    var namespaces =
        InformerEventSourceConfiguration.from(Namespace.class, Network.class)
            .withName(NAMESPACES)
            .withSecondaryToPrimaryMapper(ns -> Set.of(CLUSTER))
            .withOnUpdateFilter((n, o) -> false)
            .build();
    return List.of(
        new InformerEventSource<>(nads, context), new InformerEventSource<>(namespaces, context));
  }

  /** A NAD an entry names: when a foreign one in the way goes, ours can be created. */
  private static boolean named(
      EventSourceContext<Network> context, NetworkAttachmentDefinition nad) {
    String key = nad.getMetadata().getNamespace() + "/" + nad.getMetadata().getName();
    return context
        .getPrimaryCache()
        .list(n -> Network.CLUSTER.equals(n.getMetadata().getName()))
        .anyMatch(n -> entryKeys(n.getSpec()).contains(key));
  }

  private static Set<String> entryKeys(NetworkSpec spec) {
    var keys = new HashSet<String>();
    if (spec != null) {
      AdditionalNetworkRenderer.render(spec).nads().forEach(n -> keys.add(n.key()));
    }
    return keys;
  }

  @Override
  public UpdateControl<Network> reconcile(Network network, Context<Network> context) {
    if (!Network.CLUSTER.equals(network.getMetadata().getName())) {
      return record(
          network,
          new NetworkConditions.Wanted(
              true,
              NetworkConditions.REASON_IGNORED,
              "only the Network named \"cluster\" is read, as by the Cluster Network Operator"),
          context);
    }
    var spec = network.getSpec() == null ? new NetworkSpec() : network.getSpec();
    if ("unmanaged".equalsIgnoreCase(spec.getManagementState())) {
      log.info("Network cluster is Unmanaged: additional networks left as they are");
      return UpdateControl.noUpdate();
    }
    var read = NetworkReadProblems.of(ReadReport.of(network));
    if (!read.global().isEmpty()) {
      // A setting that decides for every entry, or the list itself: acting on what was read
      // could delete every NAD.
      return record(
          network,
          new NetworkConditions.Wanted(
              true,
              NetworkConditions.REASON_UNREADABLE,
              ReadReport.describe(read.global())
                  + "; no NetworkAttachmentDefinition is changed until the Network can be read"),
          context);
    }
    var rendered = AdditionalNetworkRenderer.render(spec);
    var unreadable = read.entries().keySet();
    var problems = new ArrayList<EntryProblem>();
    rendered.problems().stream()
        .filter(p -> !unreadable.contains(p.index()))
        .forEach(problems::add);
    unreadable.forEach(i -> problems.add(new EntryProblem(i, read.key(spec, i), read.message(i))));
    var keep = new HashSet<String>();
    problems.stream().map(EntryProblem::key).filter(Objects::nonNull).forEach(keep::add);
    KubernetesClient client = context.getClient();
    var nads = rendered.nads().stream().filter(n -> !unreadable.contains(n.index())).toList();
    for (var nad : nads) {
      keep.add(nad.key());
      String problem = apply(client, network, nad);
      if (problem != null) {
        problems.add(new EntryProblem(nad.index(), nad.key(), problem));
      }
    }
    // An unreadable entry whose NAD cannot be named might be any of ours: none is stale then.
    if (unreadable.stream().allMatch(i -> read.key(spec, i) != null)) {
      deleteStale(client, context, keep);
    }
    problems.sort((a, b) -> Integer.compare(a.index(), b.index()));
    var wanted =
        problems.isEmpty()
            ? new NetworkConditions.Wanted(
                false, NetworkConditions.REASON_OK, nads.size() + " additional network(s) rendered")
            : new NetworkConditions.Wanted(
                true,
                NetworkConditions.REASON_INVALID,
                String.join("; ", problems.stream().map(EntryProblem::toString).toList()));
    return record(network, wanted, context);
  }

  private void deleteStale(KubernetesClient client, Context<Network> context, Set<String> keep) {
    for (var stale : owned(context)) {
      String key = stale.getMetadata().getNamespace() + "/" + stale.getMetadata().getName();
      if (!keep.contains(key)) {
        client.resource(stale).delete();
        log.info(
            "deleted NetworkAttachmentDefinition {}: its additionalNetworks entry is gone", key);
      }
    }
  }

  /** Creates or updates one NAD; a message when it cannot, null when it is in place. */
  private String apply(KubernetesClient client, Network network, RenderedNad want) {
    if (client.namespaces().withName(want.namespace()).get() == null) {
      return "namespace "
          + want.namespace()
          + " does not exist; create it or change the entry's"
          + " namespace";
    }
    var nads = client.resources(NetworkAttachmentDefinition.class).inNamespace(want.namespace());
    var existing = nads.withName(want.name()).get();
    try {
      if (existing == null) {
        nads.resource(fresh(network, want)).create();
        log.info("created NetworkAttachmentDefinition {} from additionalNetworks", want.key());
      } else if (!NadOwner.ownedByCluster(existing)) {
        return "NetworkAttachmentDefinition "
            + want.key()
            + " exists and was not rendered from"
            + " this Network; it is left alone";
      } else if (!upToDate(existing, network, want)) {
        var updated = client.getKubernetesSerialization().clone(existing);
        updated.setSpec(spec(want));
        var owners = new ArrayList<OwnerReference>();
        existing.getMetadata().getOwnerReferences().stream()
            .filter(o -> !"Network".equals(o.getKind()))
            .forEach(owners::add);
        owners.add(NadOwner.reference(network));
        updated.getMetadata().setOwnerReferences(owners);
        nads.resource(updated).update();
        log.info("updated NetworkAttachmentDefinition {} from additionalNetworks", want.key());
      }
      return null;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 422 || e.getCode() == 400) {
        // The API server refuses it (a name that is no DNS subdomain): permanent, report it.
        return "the API server refused NetworkAttachmentDefinition "
            + want.key()
            + ": "
            + e.getStatus().getMessage();
      }
      throw e;
    }
  }

  private static boolean upToDate(
      NetworkAttachmentDefinition existing, Network network, RenderedNad want) {
    return existing.getSpec() != null
        && Objects.equals(existing.getSpec().getConfig(), want.config())
        && existing.getMetadata().getOwnerReferences().contains(NadOwner.reference(network));
  }

  private static NetworkAttachmentDefinition fresh(Network network, RenderedNad want) {
    var nad = new NetworkAttachmentDefinition();
    nad.getMetadata().setName(want.name());
    nad.getMetadata().setNamespace(want.namespace());
    nad.getMetadata().setOwnerReferences(List.of(NadOwner.reference(network)));
    nad.setSpec(spec(want));
    return nad;
  }

  private static NetworkAttachmentDefinitionSpec spec(RenderedNad want) {
    var spec = new NetworkAttachmentDefinitionSpec();
    spec.setConfig(want.config());
    return spec;
  }

  @SuppressWarnings("unchecked")
  private static List<NetworkAttachmentDefinition> owned(Context<Network> context) {
    var source =
        (InformerEventSource<NetworkAttachmentDefinition, Network>)
            context
                .eventSourceRetriever()
                .getEventSourceFor(NetworkAttachmentDefinition.class, NADS);
    return source.list(NadOwner::ownedByCluster).toList();
  }

  /** Writes the condition only when it changed; a new problem also becomes a Warning event. */
  private UpdateControl<Network> record(
      Network network, NetworkConditions.Wanted wanted, Context<Network> context) {
    if (NetworkConditions.upToDate(network, wanted)) {
      return UpdateControl.noUpdate();
    }
    var before = NetworkConditions.current(network);
    PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(
        network,
        context,
        fresh -> {
          fresh.setStatus(NetworkConditions.apply(fresh, wanted, clock));
          return fresh;
        });
    if (wanted.degraded()
        && (before == null || !Objects.equals(before.getMessage(), wanted.message()))) {
      // On the cluster-scoped Network: in "default", so kubectl describe network.operator shows it.
      new WarningEventWriter(context.getClient(), EVENT_COMPONENT, null, clock)
          .warn(network, wanted.reason(), wanted.message());
    }
    return UpdateControl.noUpdate();
  }
}
