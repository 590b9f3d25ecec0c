package io.multihome.agent.cluster;

import java.util.function.Supplier;

/** A probe whose answer the test decides (null = healthy). */
record ScriptedProbe(String name, Supplier<String> answer) implements NodeProbe {
  @Override
  public String target() {
    return "scripted " + name;
  }

  @Override
  public String check() {
    return answer.get();
  }
}
