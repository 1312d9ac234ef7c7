package partyclaw.core.config;

/**
 * One thing wrong with a config file. {@code path} is a JSON path such as {@code $.models.main.type} or
 * {@code $.channels[0].bot_token_env}; {@code hint} says what to do about it. Never carries a secret value.
 */
public record ConfigProblem(String path, String message, String hint) {

  public ConfigProblem {
    path = oneLine(path);
    message = oneLine(message);
    hint = hint == null ? null : oneLine(hint);
  }

  /** {@code <path>: <message> (hint: <hint>)} on a single line, so a validator can print one problem per line. */
  @Override
  public String toString() {
    return hint == null || hint.isBlank() ? path + ": " + message : path + ": " + message + " (hint: " + hint + ")";
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
