package partyclaw.core.cron;

import java.util.Locale;

/**
 * What a task does when it fires: {@code agent} (the reference's behaviour, the default) starts a background agent
 * on the task, whose report goes to {@code sink} (null: the task's conversation; the syntax of
 * {@code start_background_agent}'s sink); {@code prompt} sends the task into the conversation as a message, for the
 * main agent to answer in a turn. Tasks journaled before this existed have no run and fire as prompts.
 */
public record CronRun(String mode, String sink) {
  public static final String AGENT = "agent";
  public static final String PROMPT = "prompt";
  public static final CronRun DEFAULT = new CronRun(AGENT, null);
  static final CronRun LEGACY = new CronRun(PROMPT, null);

  public CronRun {
    mode = mode == null ? AGENT : mode.strip().toLowerCase(Locale.ROOT);
    if (!mode.equals(AGENT) && !mode.equals(PROMPT)) {
      throw new IllegalArgumentException("run must be \"agent\" or \"prompt\", got \"" + mode + "\"");
    }
    sink = sink == null || sink.isBlank() ? null : sink.strip();
    if (mode.equals(PROMPT) && sink != null) {
      throw new IllegalArgumentException("sink applies only to run \"agent\": a prompt is answered in its conversation");
    }
  }

  public boolean agent() {
    return mode.equals(AGENT);
  }
}
