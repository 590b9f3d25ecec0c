package io.multihome.agent.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the engine keeps for a target because the kernel holds no such setting: profiles of NICs
 * matched by MAC or PCI address ({@code identifier}, {@code profile-name}), the interfaces with
 * {@code lldp.enabled} (the agent's LLDP listener reads this), and {@code dispatch} scripts. One
 * JSON file per target in the state directory ({@code kept-<netns|host>.json}), written by a plan
 * op and put back byte for byte on rollback, like NetworkManager's profiles are for nmstate.
 */
public record KeptSettings(
    List<Profile> profiles, List<String> lldp, Map<String, Dispatch> dispatch) {

  public static final KeptSettings EMPTY = new KeptSettings(List.of(), List.of(), Map.of());

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  /** Sorted, so equal settings are equal records and equal bytes. */
  public KeptSettings {
    profiles =
        profiles == null
            ? List.of()
            : profiles.stream().sorted(Comparator.comparing(Profile::profileName)).toList();
    lldp = lldp == null ? List.of() : List.copyOf(new TreeSet<>(lldp));
    dispatch =
        dispatch == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new TreeMap<>(dispatch));
  }

  /** A NIC found by {@code identifier} ({@code mac-address} or {@code pci-address}). */
  public record Profile(
      String profileName, String identifier, String macAddress, String pciAddress) {}

  /** Script bodies; null when none is kept. */
  public record Dispatch(String postActivation, String postDeactivation) {}

  /** {@code <stateDir>/kept-<netns|host>.json}. */
  public static Path file(Path stateDir, Target target) {
    return stateDir.resolve("kept-" + target.label() + ".json");
  }

  /** The file's settings; {@link #EMPTY} when there is none. */
  public static KeptSettings read(Path file) {
    if (!Files.exists(file)) {
      return EMPTY;
    }
    try {
      return JSON.readValue(file.toFile(), KeptSettings.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public boolean lldpEnabled(String name) {
    return lldp.contains(name);
  }

  public Profile profileNamed(String profileName) {
    for (var p : profiles) {
      if (p.profileName().equals(profileName)) {
        return p;
      }
    }
    return null;
  }
}
