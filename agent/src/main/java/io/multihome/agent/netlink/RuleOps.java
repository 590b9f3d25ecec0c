package io.multihome.agent.netlink;

import java.util.List;

/** Policy-routing rule list/add/delete. */
public final class RuleOps {
  private final RtNetlink nl;

  RuleOps(RtNetlink nl) {
    this.nl = nl;
  }

  /** Rules of a family (AF_INET or AF_INET6; AF_UNSPEC for both). */
  public List<Rule> list(int family) {
    var r =
        new Request(
            "rule list",
            "",
            Rtnl.RTM_GETRULE,
            0,
            b -> new FibRuleHdr(family, 0, 0, 0, 0, 0, 0).write(b));
    return nl.dump(r).stream().filter(m -> m.type() == Rtnl.RTM_NEWRULE).map(Rule::read).toList();
  }

  public void add(Rule rule) {
    nl.execute(addRequest(rule));
  }

  public void delete(Rule rule) {
    nl.execute(deleteRequest(rule));
  }

  public static Request addRequest(Rule rule) {
    return new Request(
        "rule add",
        rule.toString(),
        Rtnl.RTM_NEWRULE,
        Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL,
        rule::write);
  }

  public static Request deleteRequest(Rule rule) {
    return new Request("rule delete", rule.toString(), Rtnl.RTM_DELRULE, 0, rule::write);
  }
}
