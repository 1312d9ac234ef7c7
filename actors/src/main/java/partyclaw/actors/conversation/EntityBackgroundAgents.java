package partyclaw.actors.conversation;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Scheduler;
import akka.actor.typed.javadsl.AskPattern;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import partyclaw.actors.conversation.ConversationEntity.Command;
import partyclaw.actors.conversation.ConversationEntity.ManageBackgroundAgents;
import partyclaw.core.agents.BackgroundAgents;

/**
 * The background-agent tools' port to their conversation: each call asks the entity, which journals and runs the
 * agents. Lives in the conversation's resources across incarnations; each incarnation attaches itself. Tool threads
 * only.
 */
final class EntityBackgroundAgents implements BackgroundAgents {
  static final Duration ASK = Duration.ofSeconds(15);

  private final Scheduler scheduler;
  private final AtomicReference<ActorRef<Command>> entity = new AtomicReference<>();

  EntityBackgroundAgents(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  EntityBackgroundAgents attach(ActorRef<Command> incarnation) {
    entity.set(incarnation);
    return this;
  }

  @Override
  public JsonNode start(String task, String model, JsonNode sink) {
    return ask(new ManageBackgroundAgents.Start(task, model, sink, "tool"));
  }

  @Override
  public JsonNode terminate(String agentId) {
    return ask(new ManageBackgroundAgents.Terminate(agentId));
  }

  @Override
  public JsonNode list() {
    return ask(new ManageBackgroundAgents.ListAll());
  }

  @Override
  public JsonNode stats(String agentId) {
    return ask(new ManageBackgroundAgents.Describe(agentId));
  }

  private JsonNode ask(ManageBackgroundAgents.Op op) {
    try {
      return AskPattern.<Command, JsonNode>askWithStatus(entity.get(), r -> new ManageBackgroundAgents(op, r), ASK,
          scheduler).toCompletableFuture().get(ASK.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalArgumentException(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new IllegalArgumentException("the conversation did not answer within " + ASK.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalArgumentException("interrupted");
    }
  }
}
