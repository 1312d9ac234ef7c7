package partyclaw.channels.dingtalk;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.Behaviors;
import akka.pattern.StatusReply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import partyclaw.actors.conversation.ConversationEntity;

/**
 * Stand-ins for ConversationEntity: they accept messages like the entity (journal, then acknowledge; a known id is
 * acknowledged as a duplicate) and record them. With {@link #ackDisabled} they record but never answer, as an entity
 * that has not journaled yet.
 */
final class ConversationStubs {
  private final ActorTestKit kit;
  private final Path workspaces;
  private final Map<String, ActorRef<ConversationEntity.Command>> refs = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  private final Map<String, List<ConversationEntity.SubmitUserMessage>> accepted = new ConcurrentHashMap<>();
  private final Set<String> seen = new HashSet<>();
  private int submissions;
  volatile boolean ackDisabled;

  ConversationStubs(ActorTestKit kit, Path workspaces) {
    this.kit = kit;
    this.workspaces = workspaces;
  }

  RecipientRef<ConversationEntity.Command> of(String conversationId) {
    return refs.computeIfAbsent(conversationId, id -> kit.spawn(behavior(id)));
  }

  Path workspace(String conversationId) {
    return workspaces.resolve(conversationId.replaceAll("[^A-Za-z0-9._-]", "_"));
  }

  private Behavior<ConversationEntity.Command> behavior(String id) {
    return Behaviors.receive(ConversationEntity.Command.class)
        .onMessage(ConversationEntity.SubmitUserMessage.class, m -> {
          boolean duplicate;
          synchronized (lock) {
            submissions++;
            duplicate = !seen.add(id + "/" + m.messageId());
            if (!duplicate) accepted.computeIfAbsent(id, k -> new ArrayList<>()).add(m);
            lock.notifyAll();
          }
          if (!ackDisabled) m.replyTo().tell(StatusReply.success(new ConversationEntity.Accepted(duplicate)));
          return Behaviors.same();
        })
        .onMessage(ConversationEntity.GetWorkspace.class, m -> {
          m.replyTo().tell(StatusReply.success(workspace(id).toString()));
          return Behaviors.same();
        })
        .build();
  }

  List<ConversationEntity.SubmitUserMessage> accepted(String conversationId) {
    synchronized (lock) {
      return List.copyOf(accepted.getOrDefault(conversationId, List.of()));
    }
  }

  /** Every SubmitUserMessage received, retries and duplicates included. */
  int submissions() {
    synchronized (lock) {
      return submissions;
    }
  }

  List<ConversationEntity.SubmitUserMessage> await(String conversationId, int n, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (accepted.getOrDefault(conversationId, List.of()).size() < n) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          throw new AssertionError("expected " + n + " messages in " + conversationId + ", got " + accepted(conversationId));
        }
        lock.wait(left);
      }
      return List.copyOf(accepted.get(conversationId));
    }
  }
}
