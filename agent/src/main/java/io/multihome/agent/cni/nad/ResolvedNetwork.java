package io.multihome.agent.cni.nad;

import io.multihome.agent.cni.exec.NetworkList;
import java.util.Map;

/** A NAD reference turned into a runnable config. */
public record ResolvedNetwork(
    String qualifiedName, NetworkList config, Map<String, String> annotations) {}
