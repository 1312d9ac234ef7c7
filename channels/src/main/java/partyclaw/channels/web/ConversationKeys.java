package partyclaw.channels.web;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/** Conversation keys of the web channel (spec 2.5): {@code web-default}, new ones {@code web-<32 hex>}. */
final class ConversationKeys {
  static final String DEFAULT = "web-default";
  static final int MAX_BYTES = 128;
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Marks a later conversation under a deleted key ({@code <key>~g<n>}); keys cannot end like this. */
  static final String GENERATION_MARK = "~g";
  private static final java.util.regex.Pattern GENERATION = java.util.regex.Pattern.compile("(?s)(.*)~g[0-9]+");

  private ConversationKeys() {}

  static String fresh() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return "web-" + HexFormat.of().formatHex(b);
  }

  static String withoutGeneration(String entityKey) {
    var m = GENERATION.matcher(entityKey);
    return m.matches() ? m.group(1) : entityKey;
  }

  /** Why a client-supplied key is refused, or empty when it is fine. */
  static Optional<String> problem(String key) {
    if (key == null || key.isBlank()) return Optional.of("conversation_key must not be blank");
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return Optional.of("conversation_key is longer than " + MAX_BYTES + " bytes");
    }
    if (GENERATION.matcher(key).matches()) {
      return Optional.of("conversation_key must not end in ~g<number> (reserved for conversations under a deleted key)");
    }
    for (int i = 0; i < key.length(); i++) {
      if (Character.isISOControl(key.charAt(i))) {
        return Optional.of("conversation_key must not contain control characters");
      }
    }
    return Optional.empty();
  }
}
