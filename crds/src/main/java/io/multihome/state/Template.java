package io.multihome.state;

import java.util.regex.Pattern;

/**
 * A value written as a whole-string nmpolicy capture reference, {@code "{{ capture.<name>.<path>
 * }}"}. {@code text} is the string as written; {@code capture} the capture name it reads.
 */
public record Template(String text, String capture) {

  private static final Pattern WHOLE =
      Pattern.compile("\\{\\{\\s*capture\\.([A-Za-z0-9][-A-Za-z0-9_]*)(\\.[^{}]*)?\\s*}}");

  /** The template in {@code text}, or null when {@code text} is a plain value. */
  public static Template of(String text) {
    var s = text.strip();
    if (!s.startsWith("{{")) {
      return null;
    }
    var m = WHOLE.matcher(s);
    return m.matches() ? new Template(text, m.group(1)) : null;
  }
}
