package io.multihome.agent.cni.exec;

import java.util.Map;

/**
 * Routes plugin types that the agent implements itself to their {@link InProcessPlugin}; every
 * other type is exec'ed by the fallback executor. Built-ins win over binaries of the same name, so
 * a stray {@code sriov} binary in CNI_PATH cannot shadow the in-process one.
 */
public final class BuiltInPluginExecutor implements PluginExecutor {

  private final Map<String, InProcessPlugin> builtIns;
  private final PluginExecutor fallback;

  public BuiltInPluginExecutor(Map<String, InProcessPlugin> builtIns, PluginExecutor fallback) {
    this.builtIns = Map.copyOf(builtIns);
    this.fallback = fallback;
  }

  @Override
  public byte[] exec(String type, CniInvocation invocation, byte[] stdin) throws CniException {
    InProcessPlugin plugin = builtIns.get(type);
    if (plugin == null) {
      return fallback.exec(type, invocation, stdin);
    }
    try {
      return plugin.invoke(invocation, stdin);
    } catch (CniException e) {
      throw e.withContext("plugin " + type + " " + invocation.command());
    }
  }
}
