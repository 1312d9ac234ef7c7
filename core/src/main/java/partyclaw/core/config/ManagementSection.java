package partyclaw.core.config;

import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code management} ({@code {"listen_addr": "127.0.0.1:8558"}}); null when the section is absent. Unknown
 * keys are problems here: a misspelt {@code listen_addr} would otherwise leave the endpoint silently off.
 */
final class ManagementSection {
  private static final Set<String> KEYS = Set.of("listen_addr");
  private static final String HINT = "write \"management\": {\"listen_addr\": \"" + ManagementConfig.DEFAULT_LISTEN_ADDR
      + "\"} (host:port; [::1]:8558 for IPv6), or remove the section to turn the endpoint off";

  private ManagementSection() {}

  static ManagementConfig read(JsonFields root, LoadContext ctx) {
    Optional<JsonFields> section = root.object("management");
    if (section.isEmpty()) return null;
    JsonFields f = section.get();
    for (String key : f.keys()) {
      if (!KEYS.contains(key)) ctx.problems().add(f.path(key), "unknown field `" + key + "` in management", HINT);
    }
    Optional<String> addr = f.requiredString("listen_addr", HINT);
    if (addr.isEmpty()) return null;
    try {
      return parse(addr.get());
    } catch (IllegalArgumentException e) {
      ctx.problems().add(f.path("listen_addr"), e.getMessage(), HINT);
      return null;
    }
  }

  /** {@code host:port} or {@code [v6]:port}; the message names what is wrong (never echoes more than the value). */
  static ManagementConfig parse(String raw) {
    String addr = raw.strip();
    String host;
    String port;
    if (addr.startsWith("[")) {
      int close = addr.indexOf(']');
      if (close < 0 || close + 1 >= addr.length() || addr.charAt(close + 1) != ':') {
        throw new IllegalArgumentException("management.listen_addr '" + raw + "' is not [ipv6]:port");
      }
      host = addr.substring(1, close);
      port = addr.substring(close + 2);
    } else {
      int colon = addr.lastIndexOf(':');
      if (colon < 0) throw new IllegalArgumentException("management.listen_addr '" + raw + "' has no port");
      host = addr.substring(0, colon);
      port = addr.substring(colon + 1);
      if (host.contains(":")) {
        throw new IllegalArgumentException("management.listen_addr '" + raw + "': write an IPv6 address in brackets");
      }
    }
    if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("management.listen_addr '" + raw + "' has no host");
    }
    int number;
    try {
      number = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("management.listen_addr '" + raw + "': port '" + port + "' is not a number");
    }
    if (number < 0 || number > 65535) {
      throw new IllegalArgumentException("management.listen_addr '" + raw + "': port " + number
          + " is outside 0-65535");
    }
    return new ManagementConfig(host, number);
  }
}
