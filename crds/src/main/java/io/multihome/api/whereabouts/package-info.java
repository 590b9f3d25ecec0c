/**
 * whereabouts' own allocation records ({@code whereabouts.cni.cncf.io/v1alpha1}): the same CRDs,
 * field names and meanings as upstream, so a cluster moves between whereabouts and multihome
 * without losing a lease. Unknown fields are ignored, so a newer whereabouts' objects still read.
 */
package io.multihome.api.whereabouts;
