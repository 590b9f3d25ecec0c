/**
 * Network resources injection: a mutating admission webhook (AdmissionReview v1 over HTTPS) that
 * adds to a pod's first container the device-plugin resources its secondary networks need, as
 * k8snetworkplumbingwg/network-resources-injector does. {@link
 * io.multihome.controller.webhook.ResourceInjector} decides (pure), {@link
 * io.multihome.controller.webhook.AdmissionReviews} speaks the wire format, {@link
 * io.multihome.controller.webhook.WebhookServer} serves it, {@link
 * io.multihome.controller.webhook.ResourceInjectionWebhook} puts them together.
 */
package io.multihome.controller.webhook;
