package partyclaw.actors.outbox;

import java.util.function.BiConsumer;

/**
 * Assistant text of a model call as it streams in, for live display (web {@code delta} events, the OpenAI
 * endpoint's SSE, Telegram drafts, a terminal). Never journaled and never delivered as a reply: the whole reply
 * still arrives as a {@link Deliver}, which replaces whatever a channel showed from the deltas. A channel may miss
 * some; one that does simply shows less until the reply arrives.
 *
 * @param round the turn's round: each round's text starts afresh
 * @param attempt the HTTP attempt of that round's model call: a retry starts the round's text afresh
 * @param text the text that arrived since the previous delta of the same round and attempt (several SSE chunks
 *     coalesced)
 */
public record TextDelta(String conversationId, String turnId, int round, int attempt, String text)
    implements ChannelMessage {

  /** A sink for a model call's deltas ({@code attempt, text}) that sends them to the conversation's channel. */
  public static BiConsumer<Integer, String> toChannel(DeliveryRouter router, String conversationId, String turnId,
      int round) {
    return (attempt, text) -> router.channelOf(conversationId)
        .ifPresent(channel -> channel.tell(new TextDelta(conversationId, turnId, round, attempt, text)));
  }
}
