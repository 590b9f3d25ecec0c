package io.multihome.agent.engine;

import io.multihome.agent.netlink.Route;
import io.multihome.agent.netlink.Rtnl;
import io.multihome.agent.netlink.Rule;

/** Routes and rules in ip(8) words, for plans and messages. */
final class RouteText {
  private RouteText() {}

  static String describe(Route r, String dev) {
    var sb = new StringBuilder();
    if (r.type() == Rtnl.Rta.TYPE_BLACKHOLE) {
      sb.append("blackhole ");
    } else if (r.type() == Rtnl.Rta.TYPE_UNREACHABLE) {
      sb.append("unreachable ");
    } else if (r.type() == Rtnl.Rta.TYPE_PROHIBIT) {
      sb.append("prohibit ");
    }
    sb.append(r.isDefault() ? "default" : Ips.text(r.dst()));
    if (r.gateway() != null) {
      sb.append(" via ").append(Ips.text(r.gateway()));
    }
    if (dev != null) {
      sb.append(" dev ").append(dev);
    }
    if (r.table() != Rtnl.Rta.TABLE_MAIN) {
      sb.append(" table ").append(r.table());
    }
    if (r.metric() != null) {
      sb.append(" metric ").append(r.metric());
    }
    if (r.prefSrc() != null) {
      sb.append(" src ").append(Ips.text(r.prefSrc()));
    }
    var m = r.metrics();
    int lock = m.lock() == null ? 0 : m.lock();
    if (r.mtu() != null) {
      sb.append(" mtu ")
          .append((lock & (1 << Route.Metrics.RTAX_MTU)) != 0 ? "lock " : "")
          .append(r.mtu());
    }
    if (m.advmss() != null) sb.append(" advmss ").append(m.advmss());
    if (m.cwnd() != null) {
      sb.append(" cwnd ")
          .append((lock & (1 << Route.Metrics.RTAX_CWND)) != 0 ? "lock " : "")
          .append(m.cwnd());
    }
    if (m.initcwnd() != null) sb.append(" initcwnd ").append(m.initcwnd());
    if (m.initrwnd() != null) sb.append(" initrwnd ").append(m.initrwnd());
    if (m.quickack() != null) sb.append(" quickack ").append(m.quickack());
    if (r.weight() != null) sb.append(" weight ").append(r.weight());
    return sb.toString();
  }

  static String describe(Rule r) {
    var sb = new StringBuilder(r.family() == Rtnl.AF_INET6 ? "-6 " : "");
    sb.append("from ").append(r.src() == null ? "all" : Ips.text(r.src()));
    if (r.dst() != null) {
      sb.append(" to ").append(Ips.text(r.dst()));
    }
    if (r.iifName() != null) {
      sb.append(" iif ").append(r.iifName());
    }
    if (r.fwmark() != null) {
      sb.append(" fwmark ").append(r.fwmark());
      if (r.fwmask() != null) {
        sb.append('/').append(r.fwmask());
      }
    }
    if (r.priority() != null) {
      sb.append(" priority ").append(r.priority());
    }
    if (r.action() == Rtnl.Fra.ACT_TO_TBL) {
      sb.append(" lookup ").append(r.table());
    } else if (r.action() == Rtnl.Fra.ACT_BLACKHOLE) {
      sb.append(" blackhole");
    } else if (r.action() == Rtnl.Fra.ACT_UNREACHABLE) {
      sb.append(" unreachable");
    } else if (r.action() == Rtnl.Fra.ACT_PROHIBIT) {
      sb.append(" prohibit");
    }
    return sb.toString();
  }
}
