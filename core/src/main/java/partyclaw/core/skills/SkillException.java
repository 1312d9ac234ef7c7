package partyclaw.core.skills;

/**
 * A SKILL.md that cannot be used. The message is one line naming the file and the field, so it can be shown
 * as is to the model (in a tool error) or to the operator (in the catalog's problems).
 */
public class SkillException extends RuntimeException {
  public SkillException(String message) {
    super(message);
  }

  public SkillException(String message, Throwable cause) {
    super(message, cause);
  }
}
