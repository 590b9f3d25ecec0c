package io.multihome.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which files of the state directory are checkpoints: the dead-man switch rolls back every expired
 * one it finds, so a side file (DHCP, 802.1X, MKA, IPsec: {@code checkpoint-NS.json<suffix>}) or
 * the apply lock taken for one would make it "roll back" a target nobody applied to (a side file
 * has no netns: the host).
 */
class CheckpointStoreTest {
  @TempDir Path dir;

  @Test
  void sideFilesAndTheApplyLockAreNotCheckpoints() throws Exception {
    var store = new CheckpointStore(dir);
    var target = Target.of("mh-en-1");
    var checkpoint = Files.writeString(store.fileFor(target), "{}");
    for (var side :
        java.util.List.of(
            CheckpointSideFile.DYNAMIC_IP,
            CheckpointSideFile.DOT1X,
            CheckpointSideFile.MKA,
            CheckpointSideFile.IPSEC)) {
      Files.writeString(
          checkpoint.resolveSibling(checkpoint.getFileName() + side.suffix()), "{\"c1\": {}}");
    }
    Files.writeString(store.lockFor(target), "");
    Files.writeString(store.fileFor(Target.of("mh-en-2")), "{}");

    assertThat(store.all())
        .containsExactly(store.fileFor(target), store.fileFor(Target.of("mh-en-2")));
  }
}
