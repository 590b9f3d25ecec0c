package io.multihome.agent.cluster;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The Failing message a person reads in {@code kubectl get nnce}: attempt count, the first error
 * and a short summary of the planned changes — at most {@link #MAX_BYTES} bytes of UTF-8 and never
 * a state dump (upstream pastes whole nmstate states into conditions).
 */
public final class FailureMessage {
  public static final int MAX_BYTES = 1024;
  private static final int MAX_ERROR_CHARS = 600;
  private static final int MAX_CHANGES = 5;

  private FailureMessage() {}

  public static String of(int attempt, int maxAttempts, String error, List<String> changes) {
    var sb = new StringBuilder();
    sb.append("attempt ").append(attempt).append('/').append(maxAttempts).append(": ");
    sb.append(firstError(error));
    if (!changes.isEmpty()) {
      sb.append("; planned changes: ");
      var shown = changes.subList(0, Math.min(MAX_CHANGES, changes.size()));
      sb.append(String.join(", ", shown.stream().map(FailureMessage::oneLine).toList()));
      if (changes.size() > MAX_CHANGES) {
        sb.append(" (+").append(changes.size() - MAX_CHANGES).append(" more)");
      }
    }
    return truncate(sb.toString(), MAX_BYTES);
  }

  /** The first line of the first error; engines join several errors with "; ". */
  static String firstError(String error) {
    if (error == null || error.isBlank()) {
      return "unknown error";
    }
    var first = oneLine(error);
    return first.length() > MAX_ERROR_CHARS ? first.substring(0, MAX_ERROR_CHARS) + "…" : first;
  }

  private static String oneLine(String s) {
    return s.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  /** Cuts {@code s} to at most {@code max} UTF-8 bytes, on a character boundary, marked with …. */
  static String truncate(String s, int max) {
    if (s.getBytes(StandardCharsets.UTF_8).length <= max) {
      return s;
    }
    int budget = max - "…".getBytes(StandardCharsets.UTF_8).length;
    var sb = new StringBuilder();
    int used = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (used + n > budget) {
        break;
      }
      sb.appendCodePoint(cp);
      used += n;
      i += Character.charCount(cp);
    }
    return sb.append('…').toString();
  }
}
