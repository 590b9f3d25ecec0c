package io.multihome.agent.cni.exec;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the caller adds to each plugin config of a list.
 *
 * @param capabilityArgs capability name to value; a plugin receives {@code runtimeConfig.<name>}
 *     only if it declares {@code capabilities.<name>: true} (CNI spec §"Deriving runtimeConfig")
 * @param cniArgs merged over the plugin's own {@code args.cni} (CONVENTIONS.md; pod wins)
 * @param topLevel keys set at the top level of every plugin config (Multus' deviceID/pciBusID)
 */
public record RuntimeArgs(ObjectNode capabilityArgs, ObjectNode cniArgs, ObjectNode topLevel) {

  public static RuntimeArgs none() {
    var f = JsonNodeFactory.instance;
    return new RuntimeArgs(f.objectNode(), f.objectNode(), f.objectNode());
  }
}
