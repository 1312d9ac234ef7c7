package partyclaw.actors.conversation;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Scheduler;
import akka.actor.typed.javadsl.AskPattern;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import partyclaw.actors.conversation.ConversationEntity.Command;
import partyclaw.actors.conversation.ConversationEntity.ManageCron;
import partyclaw.core.cron.CronTask;
import partyclaw.core.cron.CronTasks;

/**
 * The cron tools' port to their conversation: each call asks the entity, which journals the change. Lives in the
 * conversation's resources across incarnations; each incarnation attaches itself. Called from tool threads only.
 */
final class EntityCronTasks implements CronTasks {
  static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final String conversationId;
  private final Scheduler scheduler;
  private final AtomicReference<ActorRef<Command>> entity = new AtomicReference<>();

  EntityCronTasks(String conversationId, Scheduler scheduler) {
    this.conversationId = conversationId;
    this.scheduler = scheduler;
  }

  EntityCronTasks attach(ActorRef<Command> incarnation) {
    entity.set(incarnation);
    return this;
  }

  @Override
  public List<CronTask> list(String conversationId) {
    return ask(conversationId, new ManageCron.ListTasks());
  }

  @Override
  public Optional<CronTask> get(String conversationId, String id) {
    return list(conversationId).stream().filter(t -> t.id().equals(id)).findFirst();
  }

  @Override
  public CronTask create(String conversationId, CronTask.Draft draft) {
    return ask(conversationId, new ManageCron.Create(draft)).get(0);
  }

  @Override
  public CronTask update(String conversationId, String id, CronTask.Patch patch) {
    return ask(conversationId, new ManageCron.Update(id, patch)).get(0);
  }

  @Override
  public CronTask remove(String conversationId, String id) {
    return ask(conversationId, new ManageCron.Remove(id)).get(0);
  }

  private List<CronTask> ask(String caller, ManageCron.Op op) {
    if (!this.conversationId.equals(caller)) throw new IllegalArgumentException("cron tasks of another conversation");
    try {
      return AskPattern.<Command, List<CronTask>>askWithStatus(entity.get(), r -> new ManageCron(op, r), TIMEOUT,
          scheduler).toCompletableFuture().get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalArgumentException(cause.getMessage());
    } catch (TimeoutException e) {
      throw new IllegalArgumentException("the conversation did not answer within " + TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalArgumentException("interrupted");
    }
  }
}
