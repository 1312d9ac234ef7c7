package partyclaw.actors.conversation;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Scheduler;
import akka.actor.typed.javadsl.AskPattern;
import akka.pattern.StatusReply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import partyclaw.actors.conversation.ConversationEntity.Command;
import partyclaw.core.agents.SubAgents;
import partyclaw.core.json.Json;
import partyclaw.core.tool.TurnSignal;

/**
 * The sub-agent tools' port to their conversation: each call asks the entity, which journals and runs the agents.
 * Lives in the conversation's resources across incarnations; each incarnation attaches itself. Tool threads only.
 */
final class EntitySubAgents implements SubAgents {
  static final Duration ASK = Duration.ofSeconds(15);
  /** The longest a join without timeout waits in one ask; it asks again after. */
  static final Duration LONG_WAIT = Duration.ofHours(6);
  private static final long POLL_MS = 100;

  private final Scheduler scheduler;
  private final AtomicReference<ActorRef<Command>> entity = new AtomicReference<>();

  EntitySubAgents(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  EntitySubAgents attach(ActorRef<Command> incarnation) {
    entity.set(incarnation);
    return this;
  }

  @Override
  public JsonNode start(String description, String model) {
    return await(ask(r -> new ConversationEntity.StartSubAgent(description, model, r), ASK), ASK);
  }

  @Override
  public JsonNode kill(String agentId) {
    return await(ask(r -> new ConversationEntity.KillSubAgent(agentId, r), ASK), ASK);
  }

  @Override
  public JsonNode stats(String agentId) {
    SubAgentRecord r = await(ask(reply -> new ConversationEntity.GetSubAgent(agentId, reply), ASK), ASK);
    ObjectNode o = Json.object();
    o.put("id", r.id()).put("kind", "subagent").put("model_key", r.model()).put("state", r.state())
        .put("description", r.description()).put("created_at", String.valueOf(r.createdAt()))
        .put("finished_at", r.finishedAt() == null ? null : r.finishedAt().toString()).put("rounds", r.rounds());
    ObjectNode usage = o.putObject("usage");
    usage.put("llm_calls", r.usage().llmCalls()).put("prompt_tokens", r.usage().promptTokens())
        .put("completion_tokens", r.usage().completionTokens())
        .put("total_tokens", r.usage().promptTokens() + r.usage().completionTokens())
        .put("cache_hit_tokens", r.usage().cachedTokens());
    return o;
  }

  @Override
  public JsonNode join(String agentId, Duration timeout, TurnSignal signal) throws InterruptedException {
    Duration wait = timeout == null ? LONG_WAIT : timeout;
    CompletableFuture<SubAgentRecord> finished =
        ask(r -> new ConversationEntity.AwaitSubAgent(agentId, r), wait.plusSeconds(5));
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      try {
        SubAgentRecord r = finished.get(POLL_MS, TimeUnit.MILLISECONDS);
        return joined(agentId, r);
      } catch (TimeoutException e) {
        if (signal.level() != TurnSignal.Level.NONE) {
          return result(agentId, true).put("interrupted", true).put("reason", "agent_turn_interrupted");
        }
        if (System.nanoTime() > deadline) {
          if (timeout == null) return join(agentId, null, signal);
          return result(agentId, true).put("timed_out", true).put("reason", "wait_timed_out");
        }
      } catch (ExecutionException e) {
        throw new IllegalArgumentException(cause(e));
      }
    }
  }

  /** A finished sub-agent's answer, after which it is forgotten (a second join says unknown). */
  private JsonNode joined(String agentId, SubAgentRecord r) {
    this.<Boolean>await(this.<Boolean>ask(reply -> new ConversationEntity.ForgetSubAgent(agentId, reply), ASK), ASK);
    ObjectNode o = result(agentId, false);
    boolean completed = r.state().equals("completed");
    o.put("completed", completed);
    o.put("reason", completed ? "completed" : r.state().equals("cancelled") ? "destroyed" : "failed");
    if (completed) {
      o.put("text", r.text());
    } else {
      o.put("error", r.text());
    }
    o.put("rounds", r.rounds());
    return o;
  }

  private static ObjectNode result(String agentId, boolean running) {
    ObjectNode o = Json.object();
    o.put("agent_id", agentId).put("running", running).put("completed", false);
    return o;
  }

  private <T> CompletableFuture<T> ask(Function<ActorRef<StatusReply<T>>, Command> message, Duration timeout) {
    return AskPattern.<Command, T>askWithStatus(entity.get(), message::apply, timeout, scheduler).toCompletableFuture();
  }

  private static <T> T await(CompletableFuture<T> future, Duration timeout) {
    try {
      return future.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalArgumentException(cause(e));
    } catch (TimeoutException e) {
      throw new IllegalArgumentException("the conversation did not answer within " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalArgumentException("interrupted");
    }
  }

  private static String cause(ExecutionException e) {
    Throwable c = e.getCause() == null ? e : e.getCause();
    return c.getMessage();
  }
}
