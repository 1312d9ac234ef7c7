package partyclaw.actors.outbox;

import akka.actor.typed.ActorRef;
import partyclaw.actors.conversation.ConversationEntity;

/**
 * Asks a channel to deliver one outbox entry ({@code kind}: reply, tell, notice, error). The channel answers
 * {@link ConversationEntity.ConfirmDelivery} to {@code confirmTo} once the platform accepted it; until then the
 * entity re-sends, so a channel must ignore an {@code outboundId} it already delivered for that conversation.
 * {@code <attachment>path</attachment>} tags in {@code text} name files relative to {@code workspaceRoot}.
 */
public record Deliver(String conversationId, long outboundId, String kind, String text, String workspaceRoot,
    ActorRef<ConversationEntity.Command> confirmTo) implements ChannelMessage {}
