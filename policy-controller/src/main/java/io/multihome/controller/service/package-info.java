/**
 * Services on secondary networks (what multus-service's controller does): EndpointSlices whose
 * endpoints are the selected pods' addresses on the network named by the Service's {@code
 * k8s.v1.cni.cncf.io/service-network} annotation, for Services labelled {@code
 * service.kubernetes.io/service-proxy-name: multus-proxy}. The node agent's proxy programs them.
 */
package io.multihome.controller.service;
