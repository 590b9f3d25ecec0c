package io.multihome.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Where the generated and the committed CRD files live, keyed by CRD name. */
final class CrdFiles {
  static final String REGENERATE_COMMAND =
      "mvn -B -pl crds test -Dtest=CrdFilesTest -Dmultihome.updateCrds=true";

  private static final String GENERATED_SUFFIX = "-v1.yml";
  private static final String COMMITTED_SUFFIX = ".yaml";

  private CrdFiles() {}

  static Path moduleDir() {
    // Surefire runs in the module directory and also sets basedir; honour it when present.
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
  }

  static Path generatedDir() {
    return moduleDir().resolve("target/classes/META-INF/fabric8");
  }

  static Path committedDir() {
    return moduleDir().resolveSibling("deploy").resolve("crds");
  }

  /** CRD name (e.g. {@code nodenetworkstates.nmstate.io}) to the file crd-generator wrote. */
  static Map<String, Path> generated() {
    return list(generatedDir(), GENERATED_SUFFIX);
  }

  /** CRD name to the committed copy under deploy/crds. */
  static Map<String, Path> committed() {
    return list(committedDir(), COMMITTED_SUFFIX);
  }

  static Path committedPathFor(String crdName) {
    return committedDir().resolve(crdName + COMMITTED_SUFFIX);
  }

  private static Map<String, Path> list(Path dir, String suffix) {
    var files = new TreeMap<String, Path>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      entries
          .filter(p -> p.getFileName().toString().endsWith(suffix))
          .forEach(
              p -> {
                String name = p.getFileName().toString();
                files.put(name.substring(0, name.length() - suffix.length()), p);
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }
}
