package io.multihome.agent.cluster.proxy;

import java.io.IOException;
import java.util.List;

/** The local pods' secondary attachments, and a signal when they change. */
public interface AttachmentSource extends AutoCloseable {

  List<PodAttachment> current() throws IOException;

  /** {@code listener} runs (on any thread) after attachments may have changed. */
  void onChange(Runnable listener);

  @Override
  default void close() {}
}
