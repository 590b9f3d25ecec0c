package io.multihome.agent.engine;

import io.multihome.state.DesiredState;
import io.multihome.state.Ieee8021x;
import io.multihome.state.Interface;
import java.util.ArrayList;
import java.util.Map;

/**
 * Adds each interface's {@code 802.1x} section to what {@code show} prints, secrets replaced by
 * nmstate's placeholder (nmstate prints the profile's section the same way), and each MACsec
 * interface's key agreement (the CAK hidden, the CKN shown, as nmstate prints them).
 */
final class PortAuthView {
  private PortAuthView() {}

  static DesiredState show(
      DesiredState state, Map<String, Ieee8021x> settings, Map<String, MkaConfig> mka) {
    if ((settings.isEmpty() && mka.isEmpty()) || state.interfaces() == null) {
      return state;
    }
    var out = new ArrayList<Interface>(state.interfaces().size());
    for (var i : state.interfaces()) {
      var k = mka.get(i.name());
      if (k != null && i instanceof Interface.MacSec m && m.macsec() != null) {
        var c = m.macsec();
        // nmstate hides the CAK and prints the CKN.
        i =
            new Interface.MacSec(
                m.common(),
                new Interface.MacSecConfig(
                    c.baseIface(),
                    c.encrypt(),
                    Ieee8021x.HIDDEN,
                    k.ckn(),
                    c.port(),
                    c.validation(),
                    c.sendSci(),
                    c.offload()));
      }
      var x = settings.get(i.name());
      if (x == null || i instanceof Interface.Unsupported) {
        out.add(i);
        continue;
      }
      var c = i.common();
      out.add(ShowReader.withCommon(i, c.withOptions(c.options().with8021x(x.masked()))));
    }
    return state.withInterfaces(out);
  }
}
