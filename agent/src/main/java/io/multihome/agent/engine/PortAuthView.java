package io.multihome.agent.engine;

import io.multihome.state.DesiredState;
import io.multihome.state.Ieee8021x;
import io.multihome.state.Interface;
import java.util.ArrayList;
import java.util.Map;

/**
 * Adds each interface's {@code 802.1x} section to what {@code show} prints, secrets replaced by
 * nmstate's placeholder (nmstate prints the profile's section the same way).
 */
final class PortAuthView {
  private PortAuthView() {}

  static DesiredState show(DesiredState state, Map<String, Ieee8021x> settings) {
    if (settings.isEmpty() || state.interfaces() == null) {
      return state;
    }
    var out = new ArrayList<Interface>(state.interfaces().size());
    for (var i : state.interfaces()) {
      var x = settings.get(i.name());
      if (x == null || i instanceof Interface.Unsupported) {
        out.add(i);
        continue;
      }
      var c = i.common();
      out.add(ShowReader.withCommon(i, c.withOptions(c.options().with8021x(x.masked()))));
    }
    return new DesiredState(
        out,
        state.routes(),
        state.routesRunning(),
        state.routeRules(),
        state.dns(),
        state.dnsRunning(),
        state.description(),
        state.ovsDb(),
        state.ovn(),
        state.extras(),
        state.templates(),
        state.hostname());
  }
}
