package partyclaw.app.console;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import partyclaw.actors.metrics.RuntimeMetrics;
import partyclaw.actors.metrics.RuntimeMetricsExtension;
import partyclaw.actors.outbox.ChannelMessage;
import partyclaw.actors.outbox.Deliver;
import partyclaw.actors.outbox.DeliveryReport;
import partyclaw.actors.outbox.DeliveryRouter;
import partyclaw.actors.outbox.TurnActivity;

/**
 * The channel of terminals attached through the console socket. It owns the conversations
 * {@code console:<user>}: a reply is delivered once it was handed to an attached terminal, and waits in the outbox
 * (shown by {@code partyclaw status}) while none is attached. It also observes conversations of other channels a
 * terminal attached to: each message is shown on the terminals and passed on, unchanged, to the owning channel,
 * which alone delivers it.
 */
public final class ConsoleChannel {
  public static final String CHANNEL_ID = "console";
  private static final int REMEMBERED_DELIVERIES = 10_000;

  private ConsoleChannel() {}

  public static Behavior<ChannelMessage> create(DeliveryRouter router, AttachedTerminals terminals) {
    return Behaviors.setup(ctx -> {
      RuntimeMetrics metrics = RuntimeMetricsExtension.of(ctx.getSystem());
      // Per conversation, the outbox ids already shown: the outbox is at-least-once, a terminal shows each once.
      Map<String, LinkedHashSet<Long>> shown = new HashMap<>();
      return Behaviors.receive(ChannelMessage.class)
          .onMessage(Deliver.class, d -> {
            boolean owned = owns(d.conversationId());
            if (owned) metrics.channelMessage(d);
            List<ConsoleConnection> attached = terminals.of(d.conversationId());
            if (!attached.isEmpty()) {
              LinkedHashSet<Long> ids = shown.computeIfAbsent(d.conversationId(), k -> new LinkedHashSet<>());
              boolean first = ids.add(d.outboundId());
              if (ids.size() > REMEMBERED_DELIVERIES) ids.remove(ids.iterator().next());
              if (first) {
                ObjectNode event = ConsoleConnection.event("message");
                event.put("conversation", d.conversationId());
                event.put("kind", d.kind());
                event.put("text", d.text());
                attached.forEach(t -> t.send(event));
              }
              if (owned) {
                metrics.deliveryDone(d, first ? RuntimeMetrics.DeliveryResult.DELIVERED
                    : RuntimeMetrics.DeliveryResult.ALREADY_REPORTED);
                d.reportTo().tell(new DeliveryReport.Delivered(d.outboundId()));
              }
            }
            if (!owned) router.ownerOf(d.conversationId()).ifPresent(owner -> owner.tell(d));
            return Behaviors.same();
          })
          .onMessage(TurnActivity.class, a -> {
            if (owns(a.conversationId())) metrics.channelMessage(a);
            List<ConsoleConnection> attached = terminals.of(a.conversationId());
            if (!attached.isEmpty()) {
              ObjectNode event = ConsoleConnection.event("activity");
              event.put("conversation", a.conversationId());
              event.put("phase", a.phase().name());
              if (a.outcome() != null) event.put("outcome", a.outcome());
              ArrayNode tools = event.putArray("tools");
              if (a.tools() != null) {
                for (TurnActivity.ToolLine t : a.tools()) {
                  tools.addObject().put("name", t.name()).put("status", t.status());
                }
              }
              attached.forEach(t -> t.send(event));
            }
            if (!owns(a.conversationId())) router.ownerOf(a.conversationId()).ifPresent(owner -> owner.tell(a));
            return Behaviors.same();
          })
          .build();
    });
  }

  static boolean owns(String conversationId) {
    return conversationId.startsWith(CHANNEL_ID + ":");
  }
}
