package partyclaw.core.context;

import java.util.Locale;

/** {@code memory_system}: how a compaction summarises (runtime.md §4.3). */
public enum MemoryMode {
  LAYERED, CLAUDE_CODE;

  /** {@code "layered"} or {@code "claude_code"} (any case); null, blank or anything else → LAYERED. */
  public static MemoryMode parse(String configValue) {
    if (configValue == null) return LAYERED;
    String value = configValue.strip().toLowerCase(Locale.ROOT).replace('-', '_');
    return value.equals("claude_code") ? CLAUDE_CODE : LAYERED;
  }
}
