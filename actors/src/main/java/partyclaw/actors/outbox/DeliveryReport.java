package partyclaw.actors.outbox;

/** A channel's answer to {@link Deliver}: the platform accepted the entry, it never will, or not yet. */
public sealed interface DeliveryReport extends partyclaw.actors.JsonSerializable {
  long outboundId();

  /** The platform accepted the entry; the conversation stops re-sending it. */
  record Delivered(long outboundId) implements DeliveryReport {}

  /**
   * The platform refuses the entry for good (bot removed, chat gone, token revoked): the conversation records it
   * as undeliverable, stops re-sending it and shows it in /status. {@code reason} must not contain secrets.
   */
  record Undeliverable(long outboundId, String reason) implements DeliveryReport {}

  /**
   * The channel holds the entry and sends it when it can (a DingTalk reply waiting for a session webhook, a Telegram
   * chat under flood control): the conversation keeps it but does not re-send it before {@code retryIn} has passed
   * (the channel may be restarted meanwhile and have forgotten it). Nothing is journaled.
   */
  record Deferred(long outboundId, java.time.Duration retryIn, String reason) implements DeliveryReport {}
}
