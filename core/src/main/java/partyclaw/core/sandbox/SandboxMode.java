package partyclaw.core.sandbox;

import java.util.Locale;
import java.util.Optional;

/** How a conversation's tool processes run (runtime.md §7.1). */
public enum SandboxMode {
  /** No isolation: the process sees what the daemon's user sees (minus the secrets in its environment). */
  SUBPROCESS,
  /** Bubblewrap: namespaces, a minimal filesystem view, a clean environment, resource limits. */
  BUBBLEWRAP;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code subprocess}, {@code bubblewrap}, or the legacy {@code disabled} (= subprocess). */
  public static Optional<SandboxMode> parse(String text) {
    if (text == null) return Optional.empty();
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "subprocess", "disabled" -> Optional.of(SUBPROCESS);
      case "bubblewrap" -> Optional.of(BUBBLEWRAP);
      default -> Optional.empty();
    };
  }
}
