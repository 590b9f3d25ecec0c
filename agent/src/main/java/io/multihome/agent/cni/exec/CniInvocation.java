package io.multihome.agent.cni.exec;

import java.nio.file.Path;
import java.util.List;

/**
 * The CNI_* environment of one plugin call. Null fields are not set in the child's environment
 * (STATUS and GC carry only the command and path).
 */
public record CniInvocation(
    CniCommand command,
    String containerId,
    String netns,
    String ifname,
    String args,
    List<Path> cniPath) {

  public CniInvocation {
    cniPath = List.copyOf(cniPath);
  }

  public CniInvocation withCommand(CniCommand newCommand) {
    return new CniInvocation(newCommand, containerId, netns, ifname, args, cniPath);
  }

  public CniInvocation withIfname(String newIfname) {
    return new CniInvocation(command, containerId, netns, newIfname, args, cniPath);
  }

  /** The CNI_PATH value: directories joined with the OS list separator. */
  public String cniPathValue() {
    return String.join(java.io.File.pathSeparator, cniPath.stream().map(Path::toString).toList());
  }
}
