package io.multihome.agent.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One agent per node: an exclusive lock on {@code <stateDir>/agent.lock}. The kernel releases it
 * when the process dies, so a crashed agent never blocks its successor.
 */
public final class StateDirLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private StateDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  public static StateDirLock acquire(Path stateDir) {
    var file = stateDir.resolve("agent.lock");
    try {
      Files.createDirectories(stateDir);
      var ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null;
      }
      if (l == null) {
        ch.close();
        throw new IllegalStateException(
            "another agent holds " + file + "; only one agent may run per node");
      }
      return new StateDirLock(ch, l);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + file, e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
