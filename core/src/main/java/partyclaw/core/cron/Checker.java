package partyclaw.core.cron;

/**
 * A shell command run before each firing of a cron task: exit 0 fires, non-zero skips this occurrence, a failure
 * to start or a timeout fires anyway (see {@link CheckerRunner}).
 *
 * @param command run as {@code sh -c <command>}
 * @param timeoutSeconds after this the command's whole process group is killed; greater than 0
 * @param cwd working directory inside the conversation workspace (relative to it); null = the workspace root
 */
public record Checker(String command, int timeoutSeconds, String cwd) {
  public static final int DEFAULT_TIMEOUT_SECONDS = 30;

  public Checker {
    if (command == null || command.isBlank()) throw new IllegalArgumentException("checker_command must be a non-empty string");
    if (timeoutSeconds <= 0) throw new IllegalArgumentException("checker_timeout_seconds must be greater than 0");
    if (cwd != null && cwd.isBlank()) throw new IllegalArgumentException("checker_cwd must be a non-empty string");
  }
}
