package partyclaw.actors.outbox;

/** A channel's answer to {@link Deliver}: the platform accepted the entry, or it never will. */
public sealed interface DeliveryReport extends partyclaw.actors.JsonSerializable {
  long outboundId();

  /** The platform accepted the entry; the conversation stops re-sending it. */
  record Delivered(long outboundId) implements DeliveryReport {}

  /**
   * The platform refuses the entry for good (bot removed, chat gone, token revoked): the conversation records it
   * as undeliverable, stops re-sending it and shows it in /status. {@code reason} must not contain secrets.
   */
  record Undeliverable(long outboundId, String reason) implements DeliveryReport {}
}
