package partyclaw.core.tool;

/** An error the model is shown as {@code {"error": message, "tool": name}}; the message must be safe to show. */
public class ToolException extends Exception {
  public ToolException(String message) {
    super(message);
  }

  public ToolException(String message, Throwable cause) {
    super(message, cause);
  }
}
