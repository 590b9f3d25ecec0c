package io.multihome.api.whereabouts;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.multihome.api.read.LenientCustomResource;

/**
 * The allocations of one range ({@code spec.range}, a CIDR) of one network: {@code
 * spec.allocations} maps the offset of an address from the range's network address (decimal string)
 * to its owner. Named {@code <range>} or {@code <network_name>-<range>}, with {@code :} and {@code
 * /} of the CIDR written as {@code -}.
 */
@Group(IPPool.GROUP)
@Version(value = "v1alpha1", storage = true, served = true)
@Kind("IPPool")
@Plural("ippools")
@Singular("ippool")
public class IPPool extends LenientCustomResource<IPPoolSpec, Void> implements Namespaced {
  public static final String GROUP = "whereabouts.cni.cncf.io";
}
