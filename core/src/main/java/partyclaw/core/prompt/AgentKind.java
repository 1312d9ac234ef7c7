package partyclaw.core.prompt;

/** Which tier an agent is (runtime.md §2); it picks the prompt's header and kind rules. */
public enum AgentKind {
  MAIN_FOREGROUND("[partyclaw Main Foreground Agent]"),
  MAIN_BACKGROUND("[partyclaw Main Background Agent]"),
  SUB_AGENT("[partyclaw Sub-Agent]");

  private final String header;

  AgentKind(String header) {
    this.header = header;
  }

  /** The first line of the system prompt. */
  public String header() {
    return header;
  }
}
