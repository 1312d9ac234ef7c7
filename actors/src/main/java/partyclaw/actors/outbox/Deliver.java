package partyclaw.actors.outbox;

import akka.actor.typed.ActorRef;
import java.util.List;

/**
 * Asks a channel to deliver one outbox entry ({@code kind}: reply, tell, notice, error, command). The channel
 * answers {@code reportTo} with {@link DeliveryReport.Delivered} once the platform accepted it, or
 * {@link DeliveryReport.Undeliverable} when it never will; until then the conversation re-sends, so a channel must
 * ignore an {@code outboundId} it already delivered for that conversation. {@code <attachment>path</attachment>}
 * tags in {@code text} name files relative to {@code workspaceRoot}.
 */
public record Deliver(String conversationId, long outboundId, String kind, String text, String workspaceRoot,
    ActorRef<DeliveryReport> reportTo, List<ReplyOption> options) implements ChannelMessage {

  /** {@code options}: choices offered with the message (buttons where the channel has them); never null. */
  public Deliver {
    options = options == null ? List.of() : List.copyOf(options);
  }

  public Deliver(String conversationId, long outboundId, String kind, String text, String workspaceRoot,
      ActorRef<DeliveryReport> reportTo) {
    this(conversationId, outboundId, kind, text, workspaceRoot, reportTo, List.of());
  }
}
