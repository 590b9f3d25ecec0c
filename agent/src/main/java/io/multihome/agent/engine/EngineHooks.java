package io.multihome.agent.engine;

/**
 * Points where tests inject faults: before each op (by its position in the plan) and after the plan
 * ran (to change the node behind the engine's back before verification).
 */
public interface EngineHooks {
  EngineHooks NONE = new EngineHooks() {};

  default void beforeOp(int position, Op op) {}

  default void afterApply(Target target) {}
}
