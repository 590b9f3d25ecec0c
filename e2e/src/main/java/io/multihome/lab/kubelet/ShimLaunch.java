package io.multihome.lab.kubelet;

import io.multihome.agent.cni.shim.CniShim;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/**
 * How the lab runs the CNI shim wrapper ({@code agent/src/main/dist/multihome-cni}) without an
 * installed {@code /opt/multihome}: this JVM's {@code java} and the shim's classes from the build
 * (the agent jar or {@code agent/target/classes}). Used by the runtime for {@code multihome-cni}
 * and by the CNI daemons for the same wrapper installed as {@code whereabouts}.
 */
public final class ShimLaunch {
  private ShimLaunch() {}

  /** The wrapper in a checkout. */
  public static Path wrapper(Path repoRoot) {
    return repoRoot.resolve("agent/src/main/dist/multihome-cni");
  }

  /** {@code MULTIHOME_HOME}, {@code MULTIHOME_JAVA}, {@code MULTIHOME_SHIM_CP} for the wrapper. */
  public static Map<String, String> environment(Path home) throws IOException {
    return Map.of(
        "MULTIHOME_HOME", home.toString(),
        "MULTIHOME_JAVA", javaBinary(),
        "MULTIHOME_SHIM_CP", shimClassPath());
  }

  private static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** Where the shim class comes from: the agent jar, or agent/target/classes in a build tree. */
  private static String shimClassPath() throws IOException {
    try {
      return Path.of(CniShim.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException | NullPointerException e) {
      throw new IOException("cannot locate the CNI shim's classes: " + e);
    }
  }
}
