/** The Multus / NPWG NetworkAttachmentDefinition ({@code k8s.cni.cncf.io/v1}). */
package io.multihome.api.nad;
