/**
 * nmpolicy captures: {@code capture} expressions evaluated against a node's current nmstate state
 * ({@link io.multihome.state.capture.CaptureEvaluator}), the {@code {{ capture.<name>.<path> }}}
 * templates of a desired state substituted with the results ({@link
 * io.multihome.state.capture.TemplateRenderer}), and checks that need no state ({@link
 * io.multihome.state.capture.CaptureSyntax}). Pure: Jackson trees in, Jackson trees out, no
 * Kubernetes client, so the policy controller (NNCPs on the NNS) and the {@code multihome} CLI
 * (NNCPs and nmstate policy files on the engine's own view of the node) share one evaluator.
 */
package io.multihome.state.capture;
