package partyclaw.core.config;

/** {@code kind: "command_line"}: one conversation on stdin/stdout. */
public record CommandLineChannelConfig(String id, String prompt) implements ChannelConfig {
  public static final String KIND = "command_line";
  public static final String DEFAULT_PROMPT = "you> ";

  @Override
  public String kind() {
    return KIND;
  }
}
