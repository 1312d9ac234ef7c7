package partyclaw.actors.conversation;

import java.util.List;
import partyclaw.actors.conversation.SlashCommands.ChangeSubscription;
import partyclaw.actors.conversation.SlashCommands.Decision;
import partyclaw.actors.conversation.SlashCommands.Reply;
import partyclaw.actors.conversation.SlashCommands.StopBackground;
import partyclaw.core.agents.ReportSink;

/** {@code /subscribe}, {@code /unsubscribe} and {@code /background}: decided from the state alone. */
final class BackgroundCommands {
  private BackgroundCommands() {}

  static Decision subscribe(ConversationState s, SlashCommand c, boolean subscribed) {
    List<String> topics = s.background().topics();
    if (c.args().isEmpty()) {
      return new Reply((topics.isEmpty() ? "This conversation is subscribed to no topic."
          : "Subscribed topics: " + String.join(", ", topics) + ".")
          + " Send `/subscribe <topic>` to receive the reports background agents broadcast to it, `/unsubscribe"
          + " <topic>` to stop.");
    }
    String topic;
    try {
      topic = ReportSink.checkTopic(c.args());
    } catch (IllegalArgumentException e) {
      return new Reply(e.getMessage() + ".");
    }
    if (topics.contains(topic) == subscribed) {
      return new Reply(subscribed ? "Already subscribed to `" + topic + "`." : "Not subscribed to `" + topic + "`.");
    }
    return new ChangeSubscription(topic, subscribed, subscribed
        ? "Subscribed to `" + topic + "`: reports broadcast to it will arrive here."
        : "Unsubscribed from `" + topic + "`.");
  }

  static Decision background(ConversationState s, SlashCommand c) {
    String[] words = c.args().isEmpty() ? new String[0] : c.args().split("\\s+");
    if (words.length == 0) return new Reply(list(s));
    if (words[0].equals("stop") && words.length == 2) {
      String id = words[1].equals("all") ? null : words[1];
      boolean any = s.background().agents().stream()
          .anyMatch(a -> a.running() && (id == null || a.id().equals(id)));
      if (!any) return new Reply(id == null ? "No background agent is running." : "No running background agent `" + id + "`.");
      return new StopBackground(id);
    }
    return new Reply("Send `/background` to list background agents, `/background stop <id|all>` to stop them.");
  }

  static String list(ConversationState s) {
    if (s.background().agents().isEmpty()) return "No background agents.";
    StringBuilder sb = new StringBuilder("Background agents:");
    for (BackgroundAgentRecord a : s.background().agents()) sb.append('\n').append(line(a));
    return sb.toString();
  }

  static String line(BackgroundAgentRecord a) {
    String task = a.task().replaceAll("\\s+", " ");
    if (task.length() > 60) task = task.substring(0, 59) + "…";
    String delivery = a.running() ? "round " + a.rounds()
        : a.reportPending() ? "report pending for " + (a.pendingTargets() == null ? "its sink"
            : String.join(", ", a.pendingTargets()))
        : a.deliveredTo().isEmpty() ? "no report" : "reported to " + String.join(", ", a.deliveredTo());
    return "- " + a.id() + " " + a.state() + " (" + delivery + "): " + task;
  }
}
