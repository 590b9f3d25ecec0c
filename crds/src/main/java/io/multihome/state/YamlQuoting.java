package io.multihome.state;

import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import org.snakeyaml.engine.v2.resolver.CoreScalarResolver;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Which strings the YAML writer quotes: besides what Jackson quotes itself, every string a plain
 * scalar would turn into something else for a YAML 1.2 core-schema reader (nmstate, this parser:
 * {@code 0x1f}, {@code 1e3}, {@code .inf}, {@code 0o17}) or for a YAML 1.1 reader (the resolver
 * older Kubernetes tooling types values with: {@code 0000:07:00.0} and {@code 12:30:45.5}
 * sexagesimal floats, {@code 2001-12-14} timestamps, {@code 1_000}, {@code <<}). Both libraries'
 * own resolvers decide, so the rules are theirs rather than copied patterns.
 */
final class YamlQuoting extends StringQuotingChecker.Default {
  private static final long serialVersionUID = 1L;
  private static final CoreScalarResolver YAML12 = new CoreScalarResolver(true);
  private static final Resolver YAML11 = new Resolver();

  @Override
  public boolean needToQuoteName(String name) {
    if (PLAIN_KEY.matcher(name).matches()) {
      // Jackson quotes every name that starts with a digit; nmstate prints 802.1x plain, and both
      // readers read it as a string.
      return isReservedKeyword(name) || typedWhenPlain(name);
    }
    return super.needToQuoteName(name) || typedWhenPlain(name);
  }

  private static final java.util.regex.Pattern PLAIN_KEY =
      java.util.regex.Pattern.compile("[0-9][0-9a-z]*\\.[0-9a-z]+");

  @Override
  public boolean needToQuoteValue(String value) {
    return super.needToQuoteValue(value) || typedWhenPlain(value);
  }

  /** Whether a plain scalar {@code s} is read as anything but a string by either reader. */
  static boolean typedWhenPlain(String s) {
    return !org.snakeyaml.engine.v2.nodes.Tag.STR.equals(YAML12.resolve(s, true))
        || !Tag.STR.equals(YAML11.resolve(NodeId.scalar, s, true));
  }
}
