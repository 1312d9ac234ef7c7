package partyclaw.core.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed {@code tooling.<field>} value: {@code "<alias>"}, or {@code "<alias>:self"} meaning "use the
 * conversation's own model when it has the capability, else the alias".
 */
public record ToolingTarget(String alias, boolean preferSelf) {

  /** The tooling fields and the capability the target model must declare, in config order. */
  public static final Map<String, Capability> FIELDS = fields();

  /** Parses a value; throws {@link IllegalArgumentException} with the reference's message when malformed. */
  public static ToolingTarget parse(String raw) {
    String value = raw == null ? "" : raw.strip();
    int colon = value.indexOf(':');
    String alias = colon < 0 ? value : value.substring(0, colon).strip();
    if (colon >= 0) {
      String suffix = value.substring(colon + 1).strip();
      if (!suffix.equals("self")) {
        throw new IllegalArgumentException("unsupported tooling target suffix '" + suffix + "'; expected ':self'");
      }
    }
    if (alias.isEmpty()) throw new IllegalArgumentException("tooling target must not be empty");
    return new ToolingTarget(alias, colon >= 0);
  }

  public static Optional<Capability> requiredCapability(String field) {
    return Optional.ofNullable(FIELDS.get(field));
  }

  @Override
  public String toString() {
    return preferSelf ? alias + ":self" : alias;
  }

  private static Map<String, Capability> fields() {
    Map<String, Capability> m = new LinkedHashMap<>();
    m.put("web_search", Capability.WEB_SEARCH);
    m.put("image", Capability.IMAGE_IN);
    m.put("image_gen", Capability.IMAGE_OUT);
    m.put("pdf", Capability.PDF);
    m.put("audio_input", Capability.AUDIO_IN);
    return java.util.Collections.unmodifiableMap(m);
  }
}
