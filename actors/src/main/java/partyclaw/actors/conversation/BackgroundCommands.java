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

  static Decision subscribe(ConversationState s, SlashCommand c, boolean subscribed, Texts t) {
    List<String> topics = s.background().topics();
    if (c.args().isEmpty()) {
      return new Reply((topics.isEmpty() ? t.get("subscribe.none")
          : t.get("subscribe.list", String.join(", ", topics))) + t.get("subscribe.usage"));
    }
    String topic;
    try {
      topic = ReportSink.checkTopic(c.args());
    } catch (IllegalArgumentException e) {
      return new Reply(e.getMessage() + ".");
    }
    if (topics.contains(topic) == subscribed) {
      return new Reply(t.get(subscribed ? "subscribe.already" : "subscribe.notSubscribed", topic));
    }
    return new ChangeSubscription(topic, subscribed, t.get(subscribed ? "subscribe.done" : "subscribe.undone", topic));
  }

  static Decision background(ConversationState s, SlashCommand c, Texts t) {
    String[] words = c.args().isEmpty() ? new String[0] : c.args().split("\\s+");
    if (words.length == 0) return new Reply(list(s));
    if (words[0].equals("stop") && words.length == 2) {
      String id = words[1].equals("all") ? null : words[1];
      boolean any = s.background().agents().stream()
          .anyMatch(a -> a.running() && (id == null || a.id().equals(id)));
      if (!any) return new Reply(id == null ? t.get("background.noneRunning") : t.get("background.notRunning", id));
      return new StopBackground(id);
    }
    return new Reply(t.get("background.usage"));
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
