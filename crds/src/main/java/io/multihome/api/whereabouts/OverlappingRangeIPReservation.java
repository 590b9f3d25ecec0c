package io.multihome.api.whereabouts;

import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.multihome.api.read.LenientCustomResource;

/**
 * One address reserved across every pool of a network ({@code enable_overlapping_ranges}, on by
 * default): named after the address ({@code :} written as {@code -}), prefixed with {@code
 * <network_name>-} for a named network, so two ranges that overlap never hand out the same address.
 */
@Group(IPPool.GROUP)
@Version(value = "v1alpha1", storage = true, served = true)
@Kind("OverlappingRangeIPReservation")
@Plural("overlappingrangeipreservations")
@Singular("overlappingrangeipreservation")
public class OverlappingRangeIPReservation
    extends LenientCustomResource<OverlappingRangeIPReservationSpec, Void> implements Namespaced {

  /** Upstream's schema requires a spec; the generator reads the annotation on the getter. */
  @Override
  @Required
  public OverlappingRangeIPReservationSpec getSpec() {
    return super.getSpec();
  }
}
