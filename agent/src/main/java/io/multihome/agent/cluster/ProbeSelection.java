package io.multihome.agent.cluster;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every candidate probe before a change and keeps only those that pass: a probe that already
 * fails says nothing about the change and must not roll it back.
 */
final class ProbeSelection {
  private static final Logger log = LoggerFactory.getLogger(ProbeSelection.class);

  private ProbeSelection() {}

  static List<NodeProbe> select(List<NodeProbe> candidates, AgentMetrics metrics) {
    var kept = new ArrayList<NodeProbe>();
    for (var p : candidates) {
      String why;
      try {
        why = p.check();
      } catch (Exception e) {
        why = e.toString();
      }
      metrics.probe(p.name(), "before", why == null);
      if (why == null) {
        kept.add(p);
      } else {
        log.info(
            "probe {} ({}) fails before the change, not required: {}", p.name(), p.target(), why);
      }
    }
    return kept;
  }

  /** Wraps {@code p} so its after-change result is counted too. */
  static NodeProbe counted(NodeProbe p, AgentMetrics metrics) {
    return new NodeProbe() {
      @Override
      public String name() {
        return p.name();
      }

      @Override
      public String target() {
        return p.target();
      }

      @Override
      public String check() throws Exception {
        String why;
        try {
          why = p.check();
        } catch (Exception e) {
          metrics.probe(p.name(), "after", false);
          throw e;
        }
        metrics.probe(p.name(), "after", why == null);
        return why == null ? null : p.target() + ": " + why;
      }
    };
  }
}
