package io.multihome.lab.kubelet;

import io.multihome.lab.api.PodLogs;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The kubelet's side of {@code kubectl logs} for the lab's API server: a container run's log file
 * from {@link ContainerLogs} ({@code --previous}: the run before), its last lines ({@code --tail}),
 * cut at {@code --limit-bytes}, and followed ({@code -f}) until that run's process ends. The lab
 * writes container output straight to a file, so there are no per-line times: {@code --timestamps}
 * is refused with a message saying so rather than answered without them.
 */
public final class KubeletPodLogs implements PodLogs {
  private static final long POLL_MS = 200;

  /** How long a follow read waits for new bytes before it returns none (so the caller can stop). */
  private static final long IDLE_RETURN_MS = 1000;

  private final LabKubelet kubelet;

  public KubeletPodLogs(LabKubelet kubelet) {
    this.kubelet = kubelet;
  }

  @Override
  public InputStream open(String namespace, String pod, Options options) throws IOException {
    if (options.timestamps()) {
      throw new Unavailable(
          "the lab's kubelet keeps container output without per-line times: --timestamps is not"
              + " supported");
    }
    var logs = kubelet.logs();
    String container = options.container();
    Optional<Path> file =
        options.previous()
            ? logs.previousLogFile(namespace, pod, container)
            : logs.logFile(namespace, pod, container);
    if (file.isEmpty()) {
      if (options.previous()) {
        throw new Unavailable(
            "previous terminated container \"" + container + "\" in pod \"" + pod + "\" not found");
      }
      return null;
    }
    Path path = file.get();
    long start = options.tailLines() == null ? 0 : tailOffset(path, options.tailLines());
    long limit = options.limitBytes() == null ? Long.MAX_VALUE : options.limitBytes();
    BooleanSupplier running =
        options.follow() && !options.previous()
            ? () ->
                logs.logFile(namespace, pod, container).map(path::equals).orElse(false)
                    && kubelet
                        .process(namespace, pod, container)
                        .map(Process::isAlive)
                        .orElse(false)
            : () -> false;
    return new LogStream(path, start, limit, running);
  }

  /** Where the last {@code lines} lines of the file begin. */
  static long tailOffset(Path file, int lines) throws IOException {
    if (lines <= 0) {
      return Files.size(file);
    }
    try (var raf = new RandomAccessFile(file.toFile(), "r")) {
      long pos = raf.length();
      // A last line without its newline still counts as a line.
      if (pos > 0) {
        raf.seek(pos - 1);
        if (raf.read() == '\n') {
          pos--;
        }
      }
      int seen = 0;
      while (pos > 0) {
        raf.seek(pos - 1);
        if (raf.read() == '\n' && ++seen == lines) {
          return pos;
        }
        pos--;
      }
      return 0;
    }
  }

  /** The file from an offset, up to a byte limit, waiting for more while the run goes on. */
  private static final class LogStream extends InputStream {
    private final RandomAccessFile file;
    private final BooleanSupplier running;
    private long left;

    LogStream(Path path, long start, long limit, BooleanSupplier running) throws IOException {
      this.file = new RandomAccessFile(path.toFile(), "r");
      this.file.seek(start);
      this.left = limit;
      this.running = running;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n;
      do {
        n = read(one, 0, 1);
      } while (n == 0);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    /**
     * Bytes as they come; while following, 0 after a second without new ones so the API server can
     * notice a client that went away.
     */
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      long waited = 0;
      while (true) {
        int n = file.read(b, off, (int) Math.min(len, left));
        if (n > 0) {
          left -= n;
          return n;
        }
        if (!running.getAsBoolean()) {
          // The run ended: what it wrote last may have landed after the read above.
          n = file.read(b, off, (int) Math.min(len, left));
          if (n > 0) {
            left -= n;
            return n;
          }
          return -1;
        }
        if (waited >= IDLE_RETURN_MS) {
          return 0;
        }
        try {
          Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return -1;
        }
        waited += POLL_MS;
      }
    }

    @Override
    public void close() throws IOException {
      file.close();
    }
  }
}
