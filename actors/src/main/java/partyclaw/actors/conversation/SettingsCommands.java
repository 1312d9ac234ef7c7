package partyclaw.actors.conversation;

import java.util.ArrayList;
import java.util.List;
import partyclaw.actors.ConversationRuntime;
import partyclaw.actors.ModelCatalog;

/** The slash commands that only read or change settings: the events they persist, the reply included. */
final class SettingsCommands {
  private SettingsCommands() {}

  /** Commands answered from the state alone; settings changes are journal events, so they survive restarts. */
  static List<ConversationEntity.Event> handle(String conversationId, ConversationState s, SlashCommand c,
      ConversationRuntime rt, int runningTools) {
    ModelCatalog.Entry model = rt.models().resolve(s.settings().modelAlias()).orElse(null);
    String current = model == null ? null : model.alias();
    List<ConversationEntity.Event> events = new ArrayList<>();
    String reply;
    switch (c.name()) {
      case "help" -> reply = SlashCommand.help();
      case "status" -> reply = CommandTexts.status(conversationId, s, rt, model,
          rt.resources().of(conversationId).find(partyclaw.core.tool.TurnProcesses.class)
              .map(partyclaw.core.tool.TurnProcesses::runningCount).orElse(0L),
          runningTools);
      case "agent", "model" -> {
        String arg = c.args().startsWith("agent_frame") ? c.args().substring("agent_frame".length()).strip() : c.args();
        if (arg.isEmpty()) {
          reply = CommandTexts.agentPicker(current, rt.models().available());
        } else if (!rt.models().available().contains(arg)) {
          reply = "Unknown model `" + arg + "`. " + CommandTexts.agentPicker(current, rt.models().available());
        } else if (arg.equals(current)) {
          reply = "Conversation model is already `" + arg + "`. No change was made.";
        } else {
          events.add(new ConversationEntity.SettingChanged("model", arg));
          reply = "Conversation model updated to `" + arg + "`.";
        }
      }
      case "think" -> {
        String arg = c.args().toLowerCase(java.util.Locale.ROOT);
        if (arg.isEmpty()) {
          reply = CommandTexts.thinkUsage(CommandTexts.effort(s.settings(), model));
        } else if (arg.equals("default") || CommandTexts.EFFORTS.contains(arg)) {
          String value = arg.equals("default") ? null : arg;
          events.add(new ConversationEntity.SettingChanged("reasoning_effort", value));
          reply = "Conversation reasoning effort updated to `"
              + CommandTexts.effort(s.settings().with("reasoning_effort", value), model) + "`.";
        } else {
          reply = "Unknown reasoning effort `" + c.args() + "`. " + CommandTexts.thinkUsage(CommandTexts.effort(s.settings(), model));
        }
      }
      case "queue" -> {
        String arg = c.args().toLowerCase(java.util.Locale.ROOT);
        if (arg.isEmpty()) {
          reply = CommandTexts.queueUsage(CommandTexts.queueMode(s.settings(), rt));
        } else if (CommandTexts.QUEUE_MODES.contains(arg)) {
          events.add(new ConversationEntity.SettingChanged("queue_mode", arg));
          reply = "Queue mode for this conversation is now `" + arg + "`.";
        } else {
          reply = "Unknown queue mode `" + c.args() + "`. " + CommandTexts.queueUsage(CommandTexts.queueMode(s.settings(), rt));
        }
      }
      case "set_api_timeout" -> {
        String arg = c.args();
        if (arg.isEmpty()) {
          reply = "Usage: /set_api_timeout <seconds|default>\nExamples:\n/set_api_timeout 300\n/set_api_timeout default";
        } else if (arg.equals("default") || arg.equals("reset") || arg.equals("0")) {
          events.add(new ConversationEntity.SettingChanged("api_timeout_seconds", null));
          reply = CommandTexts.timeoutText(conversationId, CommandTexts.effectiveTimeout(
              s.settings().with("api_timeout_seconds", null), model), false);
        } else {
          double seconds;
          try {
            seconds = Double.parseDouble(arg);
          } catch (NumberFormatException e) {
            seconds = -1;
          }
          if (!(seconds > 0) || seconds > 86_400) {
            reply = "`" + arg + "` is not a valid timeout: give seconds between 0 and 86400, or `default`.";
          } else {
            events.add(new ConversationEntity.SettingChanged("api_timeout_seconds", Double.toString(seconds)));
            reply = CommandTexts.timeoutText(conversationId, seconds, true);
          }
        }
      }
      case "compact", "compact_mode", "sandbox", "mount" -> reply = CommandTexts.unavailable(c.name());
      default -> reply = "Unknown command. Use `/help` to see available commands.\n\n" + SlashCommand.help();
    }
    // Setting changes leave nextOutboundId as it is: the reply takes the next id.
    events.add(new ConversationEntity.OutboundQueued(s.nextOutboundId(), "command", reply));
    return events;
  }
}
