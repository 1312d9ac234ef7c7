package partyclaw.tools.dsl;

/** Code the DSL refuses: the message names the line and what is wrong, for the model to fix its script. */
final class DslSyntaxError extends Exception {
  private final int line;

  DslSyntaxError(int line, String message) {
    super("line " + line + ": " + message);
    this.line = line;
  }

  int line() {
    return line;
  }
}
