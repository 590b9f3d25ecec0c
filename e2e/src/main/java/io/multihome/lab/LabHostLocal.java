package io.multihome.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where the reference {@code host-local} IPAM plugin keeps its leases in the lab. Without {@code
 * dataDir} it writes to {@code /var/lib/cni/networks/<network>}: on a cluster that is each node's
 * own disk, in the lab it would be this machine's, shared with every other lab and left behind. The
 * lab puts a {@code host-local} first on the CNI daemons' plugin path that fills in a {@code
 * dataDir} under the lab's work directory when a configuration has none and then runs the real
 * plugin with that configuration. Configurations that name their {@code dataDir} are passed on
 * unchanged. The directory is the one all lab nodes share (the lab's stand-in for cluster-wide
 * IPAM, see docs/lab.md).
 */
final class LabHostLocal {
  static final String PLUGIN = "host-local";

  private LabHostLocal() {}

  /**
   * Writes the wrapper into {@code binDir} (created) for leases under {@code dataDir}; returns
   * {@code binDir}.
   */
  static Path install(Path binDir, Path dataDir, Path realPluginDir) throws IOException {
    Files.createDirectories(binDir);
    Path script = binDir.resolve(PLUGIN);
    Files.writeString(
        script,
        """
        #!/usr/bin/python3
        # The lab's host-local (io.multihome.lab.LabHostLocal): a default dataDir, then the real one.
        import json, os, sys, tempfile
        conf = json.load(sys.stdin)
        ipam = conf.get("ipam")
        if isinstance(ipam, dict) and not ipam.get("dataDir"):
            ipam["dataDir"] = %s
        with tempfile.TemporaryFile() as f:
            f.write(json.dumps(conf).encode())
            f.seek(0)
            os.dup2(f.fileno(), 0)
        os.execv(%s, [%s])
        """
            .formatted(
                quoted(dataDir.toString()),
                quoted(realPluginDir.resolve(PLUGIN).toString()),
                quoted(PLUGIN)));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return binDir;
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
