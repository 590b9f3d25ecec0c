/**
 * The nmstate desired-state model: typed records for the subset of the nmstate schema multihome
 * applies ({@link io.multihome.state.DesiredState}), a strict reader that collects every problem
 * with its path ({@link io.multihome.state.StateParser}), a deterministic nmstate YAML writer
 * ({@link io.multihome.state.StateWriter}) and the semantic checks ({@link
 * io.multihome.state.StateValidator}, {@link io.multihome.state.NncpValidator}).
 *
 * <p>Paths follow one convention everywhere: nmstate key names joined with {@code .}, list elements
 * by 0-based position ({@code interfaces[2].vlan.id}); paths inside an NNCP manifest start at the
 * document root ({@code spec.desiredState.interfaces[2].vlan.id}).
 */
package io.multihome.state;
