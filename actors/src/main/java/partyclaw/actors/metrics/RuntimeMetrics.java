package partyclaw.actors.metrics;

import java.time.Duration;
import partyclaw.actors.outbox.ChannelMessage;
import partyclaw.actors.outbox.Deliver;
import partyclaw.actors.outbox.TurnActivity;

/**
 * What the runtime counts for the management endpoint's {@code /metrics}. The pieces that count find it through
 * {@link RuntimeMetricsExtension}; {@link #NOOP} until the app installs a real one (and in tests that do not). Every
 * method is called from actor threads and must return at once: no I/O, no locks held for long.
 */
public interface RuntimeMetrics {

  /** A user message a conversation accepted (a redelivery of one it already had is not counted). */
  void messageReceived(String channelId);

  /** A channel took an outbox entry to deliver: it stays pending until {@link #deliveryDone}. */
  void deliveryOffered(Deliver deliver);

  /** A channel is done with an entry it was offered. */
  void deliveryDone(Deliver deliver, DeliveryResult result);

  /** A foreground turn ended ({@code outcome}: completed, failed, max_rounds, stopped, interrupted). */
  void turnFinished(String outcome);

  /** One HTTP attempt at a model call ended (not counted when it was aborted). */
  void modelRequest(String modelAlias, Duration elapsed, boolean succeeded);

  /** The usage an upstream reported for one attempt; {@code cached} is part of {@code prompt}. */
  void modelTokens(String modelAlias, long prompt, long completion, long cached);

  /** A tool call ended ({@code outcome}: ok, error, timeout). {@code tool} is "unknown" for a name no tool has. */
  void toolCall(String tool, String outcome);

  /** One batch of journal writes, from the call into the journal to its completion. */
  void journalWrite(Duration elapsed, boolean succeeded);

  enum DeliveryResult {
    /** The platform accepted it now. */
    DELIVERED,
    /** The platform refuses it for good. */
    UNDELIVERABLE,
    /** A re-send of an entry the channel had already delivered or refused: only the report is repeated. */
    ALREADY_REPORTED
  }

  /**
   * What a channel does with every {@link ChannelMessage} it receives: outbox entries become pending, and a
   * finished turn's outcome is counted (turn activity reaches the conversation's channel once per phase).
   */
  default void channelMessage(ChannelMessage message) {
    if (message instanceof Deliver d) {
      deliveryOffered(d);
    } else if (message instanceof TurnActivity a && a.phase() == TurnActivity.Phase.FINISHED && a.outcome() != null) {
      turnFinished(a.outcome());
    }
  }

  RuntimeMetrics NOOP = new RuntimeMetrics() {
    @Override
    public void messageReceived(String channelId) {}

    @Override
    public void deliveryOffered(Deliver deliver) {}

    @Override
    public void deliveryDone(Deliver deliver, DeliveryResult result) {}

    @Override
    public void turnFinished(String outcome) {}

    @Override
    public void modelRequest(String modelAlias, Duration elapsed, boolean succeeded) {}

    @Override
    public void modelTokens(String modelAlias, long prompt, long completion, long cached) {}

    @Override
    public void toolCall(String tool, String outcome) {}

    @Override
    public void journalWrite(Duration elapsed, boolean succeeded) {}
  };
}
