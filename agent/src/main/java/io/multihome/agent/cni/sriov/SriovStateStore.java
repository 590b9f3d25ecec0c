package io.multihome.agent.cni.sriov;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.multihome.agent.cni.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One file per attachment, {@code <stateDir>/sriov/<containerID>-<ifname>.json}, beside the
 * container's delegate list in the same {@link StateStore} directory and written the same atomic
 * way. It is separate from the delegate list because it must exist before the VF is changed, while
 * the list only learns the plugin's result after the ADD returned.
 */
public final class SriovStateStore {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;

  public SriovStateStore(Path stateDir) {
    this.dir = stateDir.resolve("sriov");
  }

  public void write(SriovState state) throws IOException {
    StateStore.writeAtomically(
        file(state.containerId(), state.ifname()), JSON.writeValueAsBytes(state));
  }

  public Optional<SriovState> read(String containerId, String ifname) throws IOException {
    Path f = file(containerId, ifname);
    return Files.exists(f)
        ? Optional.of(JSON.readValue(f.toFile(), SriovState.class))
        : Optional.empty();
  }

  public void delete(String containerId, String ifname) throws IOException {
    Files.deleteIfExists(file(containerId, ifname));
  }

  private Path file(String containerId, String ifname) {
    // both are validated upstream (CNI_CONTAINERID pattern, Linux ifname); re-check: file names
    if (!containerId.matches("[A-Za-z0-9][A-Za-z0-9_.\\-]*") || !ifname.matches("[^/\\s:]{1,15}")) {
      throw new IllegalArgumentException(
          "invalid container id or ifname: " + containerId + "/" + ifname);
    }
    return dir.resolve(containerId + "-" + ifname + ".json");
  }
}
