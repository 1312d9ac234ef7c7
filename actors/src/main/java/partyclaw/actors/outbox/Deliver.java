package partyclaw.actors.outbox;

import akka.actor.typed.ActorRef;

/**
 * Asks a channel to deliver one outbox entry ({@code kind}: reply, tell, notice, error, command). The channel
 * answers {@code reportTo} with {@link DeliveryReport.Delivered} once the platform accepted it, or
 * {@link DeliveryReport.Undeliverable} when it never will; until then the conversation re-sends, so a channel must
 * ignore an {@code outboundId} it already delivered for that conversation. {@code <attachment>path</attachment>}
 * tags in {@code text} name files relative to {@code workspaceRoot}.
 */
public record Deliver(String conversationId, long outboundId, String kind, String text, String workspaceRoot,
    ActorRef<DeliveryReport> reportTo) implements ChannelMessage {}
