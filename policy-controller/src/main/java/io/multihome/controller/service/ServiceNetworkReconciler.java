package io.multihome.controller.service;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the EndpointSlices of one secondary-network Service in line with its pods (the {@link
 * EndpointSliceRenderer} decides what they are). Runs in JOSDK's all-events mode: a Service that is
 * deleted, or loses the {@code multus-proxy} label (the primary informer only sees labelled
 * Services), is reconciled one last time and its slices go — no finalizer on users' Services, and
 * no reliance on garbage collection (which a Service that merely lost its label never triggers).
 */
public final class ServiceNetworkReconciler implements Reconciler<Service> {

  static final String PODS = "service-network-pods";
  static final String SLICES = "service-network-slices";

  private static final Logger LOG = LoggerFactory.getLogger(ServiceNetworkReconciler.class);

  @Override
  public List<EventSource<?, Service>> prepareEventSources(EventSourceContext<Service> context) {
    AtomicReference<InformerEventSource<EndpointSlice, Service>> slicesRef =
        new AtomicReference<>();
    var pods =
        InformerEventSourceConfiguration.from(Pod.class, Service.class)
            .withName(PODS)
            .withWatchAllNamespaces()
            .withSecondaryToPrimaryMapper(
                pod -> {
                  Set<ResourceID> ids = new HashSet<>();
                  String ns = pod.getMetadata().getNamespace();
                  Map<String, String> labels = pod.getMetadata().getLabels();
                  context
                      .getPrimaryCache()
                      .list(
                          s ->
                              ns.equals(s.getMetadata().getNamespace())
                                  && s.getSpec() != null
                                  && s.getSpec().getSelector() != null
                                  && !s.getSpec().getSelector().isEmpty()
                                  && labels != null
                                  && labels
                                      .entrySet()
                                      .containsAll(s.getSpec().getSelector().entrySet()))
                      .forEach(s -> ids.add(ResourceID.fromResource(s)));
                  // Services whose slices list the pod: its labels may no longer match.
                  var slices = slicesRef.get();
                  if (slices != null) {
                    slices
                        .list(ns, s -> listsPod(s, pod.getMetadata().getName()))
                        .forEach(s -> serviceOf(s).ifPresent(ids::add));
                  }
                  return ids;
                })
            .build();
    var slices =
        InformerEventSourceConfiguration.from(EndpointSlice.class, Service.class)
            .withName(SLICES)
            .withWatchAllNamespaces()
            .withLabelSelector(ServiceNetworks.MANAGED_BY_LABEL + "=" + ServiceNetworks.MANAGED_BY)
            .withSecondaryToPrimaryMapper(s -> serviceOf(s).map(Set::of).orElse(Set.of()))
            .build();
    var sliceSource = new InformerEventSource<>(slices, context);
    slicesRef.set(sliceSource);
    return List.of(new InformerEventSource<>(pods, context), sliceSource);
  }

  @Override
  public UpdateControl<Service> reconcile(Service service, Context<Service> context) {
    String ns = service.getMetadata().getNamespace();
    String name = service.getMetadata().getName();
    KubernetesClient client = context.getClient();
    List<EndpointSlice> desired;
    if (context.isPrimaryResourceDeleted() || !ServiceNetworks.selects(service)) {
      desired = List.of();
    } else {
      try {
        desired = EndpointSliceRenderer.render(service, pods(context, ns));
      } catch (IllegalArgumentException bad) {
        // Bad input is permanent: say why once per change and publish nothing for it.
        LOG.warn("Service {}/{}: {}", ns, name, bad.getMessage());
        desired = List.of();
      }
    }
    Map<String, EndpointSlice> existing = new HashMap<>();
    slices(context)
        .list(ns, s -> name.equals(labelOf(s, ServiceNetworks.SERVICE_NAME_LABEL)))
        .forEach(s -> existing.put(s.getMetadata().getName(), s));
    var api = client.discovery().v1().endpointSlices().inNamespace(ns);
    for (EndpointSlice want : desired) {
      EndpointSlice have = existing.remove(want.getMetadata().getName());
      if (have == null) {
        create(api, want);
      } else if (!same(have, want)) {
        var merged = client.getKubernetesSerialization().clone(have);
        merged.getMetadata().setLabels(want.getMetadata().getLabels());
        merged.getMetadata().setOwnerReferences(want.getMetadata().getOwnerReferences());
        merged.setAddressType(want.getAddressType());
        merged.setPorts(want.getPorts());
        merged.setEndpoints(want.getEndpoints());
        api.resource(merged).update(); // with its resourceVersion: a conflict retries the reconcile
      }
    }
    for (EndpointSlice stale : existing.values()) {
      try {
        api.withName(stale.getMetadata().getName()).delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
          throw e;
        }
      }
    }
    return UpdateControl.noUpdate();
  }

  private static void create(
      io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
              EndpointSlice, ?, io.fabric8.kubernetes.client.dsl.Resource<EndpointSlice>>
          api,
      EndpointSlice want) {
    try {
      api.resource(want).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      // Not yet in our cache: replace it with what we want (next event reconciles again).
      var current = api.withName(want.getMetadata().getName()).get();
      if (current != null) {
        want.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
        api.resource(want).update();
      }
    }
  }

  static boolean same(EndpointSlice have, EndpointSlice want) {
    return Objects.equals(have.getAddressType(), want.getAddressType())
        && Objects.equals(orEmpty(have.getPorts()), orEmpty(want.getPorts()))
        && Objects.equals(orEmpty(have.getEndpoints()), orEmpty(want.getEndpoints()))
        && Objects.equals(have.getMetadata().getLabels(), want.getMetadata().getLabels())
        && Objects.equals(
            orEmpty(have.getMetadata().getOwnerReferences()),
            orEmpty(want.getMetadata().getOwnerReferences()));
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  @SuppressWarnings("unchecked")
  private static InformerEventSource<EndpointSlice, Service> slices(Context<Service> context) {
    return (InformerEventSource<EndpointSlice, Service>)
        context.eventSourceRetriever().getEventSourceFor(EndpointSlice.class, SLICES);
  }

  @SuppressWarnings("unchecked")
  private static List<Pod> pods(Context<Service> context, String namespace) {
    var source =
        (InformerEventSource<Pod, Service>)
            context.eventSourceRetriever().getEventSourceFor(Pod.class, PODS);
    return source.list(namespace, p -> true).toList();
  }

  private static boolean listsPod(EndpointSlice slice, String podName) {
    return slice.getEndpoints() != null
        && slice.getEndpoints().stream()
            .anyMatch(e -> e.getTargetRef() != null && podName.equals(e.getTargetRef().getName()));
  }

  private static java.util.Optional<ResourceID> serviceOf(EndpointSlice slice) {
    String service = labelOf(slice, ServiceNetworks.SERVICE_NAME_LABEL);
    return service == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(new ResourceID(service, slice.getMetadata().getNamespace()));
  }

  private static String labelOf(EndpointSlice slice, String key) {
    var labels = slice.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }
}
