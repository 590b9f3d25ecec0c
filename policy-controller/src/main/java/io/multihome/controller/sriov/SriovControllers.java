package io.multihome.controller.sriov;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import io.multihome.api.read.LenientClient;
import io.multihome.api.sriov.SriovNetwork;
import io.multihome.api.sriov.SriovNetworkNodePolicy;
import io.multihome.api.sriov.SriovNetworkNodeState;
import io.multihome.controller.ReportKeepingCloner;
import io.multihome.controller.nad.NadReadReconciler;
import io.multihome.controller.nad.SriovNetworkReconciler;
import io.multihome.sriov.policy.PolicyValidator;
import io.multihome.sriov.render.NadRenderer;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Entry point of the SR-IOV controllers: policies → node states ({@link NodeStateReconciler}),
 * policy acceptance ({@link NodePolicyReconciler}), SriovNetwork → NAD ({@link
 * SriovNetworkReconciler}) and the report of unreadable NADs ({@link NadReadReconciler}).
 *
 * <pre>{@code
 * var operator = new Operator(SriovControllers.withoutServerSideApply(client));
 * SriovControllers.register(operator, SriovControllerConfig.defaults());
 * operator.start();
 * }</pre>
 */
public final class SriovControllers {
  public static final String NODE_STATE_CONTROLLER = "sriov-node-state";
  public static final String POLICY_CONTROLLER = "sriov-node-policy";
  public static final String NETWORK_CONTROLLER = "sriov-network";

  private SriovControllers() {}

  /**
   * JOSDK settings these controllers need: no server-side apply anywhere (status is patched with a
   * JSON patch, dependents would be created/updated classically), which also keeps fabric8's CRUD
   * mock server usable. Chain it into the bootstrap's own overrider.
   */
  public static Consumer<ConfigurationServiceOverrider> withoutServerSideApply(
      KubernetesClient client) {
    return o ->
        o.withKubernetesClient(client)
            .withUseSSAToPatchPrimaryResource(false)
            .withSSABasedCreateUpdateMatchForDependentResources(false)
            .withDefaultNonSSAResource(
                Set.of(
                    SriovNetworkNodeState.class,
                    NetworkAttachmentDefinition.class,
                    SriovNetwork.class,
                    SriovNetworkNodePolicy.class,
                    Node.class))
            // Copies keep what the lenient reader found wrong with the original.
            .withResourceCloner(new ReportKeepingCloner(client.getKubernetesSerialization()))
            .checkingCRDAndValidateLocalModel(false);
  }

  /**
   * Registers the three reconcilers on an operator built with {@link #withoutServerSideApply} (or
   * an equivalent overrider). Call before {@link Operator#start()}.
   */
  public static void register(Operator operator, SriovControllerConfig config) {
    register(operator, config, Clock.systemUTC());
  }

  static void register(Operator operator, SriovControllerConfig config, Clock clock) {
    Objects.requireNonNull(config, "config");
    var admission = new PolicyAdmission(new PolicyValidator(config.supportedNics()));
    operator.register(
        new NodeStateReconciler(config, admission, clock),
        o -> {
          o.withName(NODE_STATE_CONTROLLER)
              // Node has no generation to watch; label changes are what matter.
              .withGenerationAware(false)
              .withOnUpdateFilter(
                  (n, old) ->
                      !Objects.equals(n.getMetadata().getLabels(), old.getMetadata().getLabels()));
          if (config.nodeLabelSelector() != null) {
            o.withLabelSelector(config.nodeLabelSelector());
          }
        });
    // Only policies in the operator namespace take effect, as upstream; the others are watched
    // too, so that they get a status saying they are not used.
    operator.register(
        new NodePolicyReconciler(config, admission, clock), o -> o.withName(POLICY_CONTROLLER));
    operator.register(
        new SriovNetworkReconciler(
            new NadRenderer(config.resourcePrefix(), config.operatorNamespace()), clock),
        o -> o.withName(NETWORK_CONTROLLER).withFinalizer(SriovNetworkReconciler.FINALIZER));
    // NADs are read by every node's agent; unreadable ones are reported once, from here (these
    // controllers already need the NAD CRD; the NNCP controller must run without it).
    operator.register(
        new NadReadReconciler(clock),
        o -> o.withName(NadReadReconciler.NAME).withGenerationAware(false));
  }

  /** A started operator running only these controllers; the caller stops it. */
  public static Operator start(KubernetesClient client, SriovControllerConfig config) {
    // No Node may stop the informers (LenientClient); a copy made for that is closed on stop.
    var lenient = LenientClient.of(client);
    var operator =
        new Operator(
            withoutServerSideApply(lenient.client())
                .andThen(o -> o.withCloseClientOnStop(lenient.owned())));
    register(operator, config);
    operator.start();
    return operator;
  }
}
