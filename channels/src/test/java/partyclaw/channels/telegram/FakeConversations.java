package partyclaw.channels.telegram;

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
 * Stand-ins for ConversationEntity: they accept messages like the entity (persist, then acknowledge; a known
 * message id is acknowledged as a duplicate) and record them. With {@link #ackDisabled} they record but never
 * answer, as an entity that crashed between persisting and acknowledging.
 */
final class FakeConversations {
  private final ActorTestKit kit;
  private final Path workspaces;
  private final Map<String, ActorRef<ConversationEntity.Command>> refs = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  private final Map<String, List<ConversationEntity.SubmitUserMessage>> accepted = new ConcurrentHashMap<>();
  private final Set<String> seen = new HashSet<>();
  private final Map<String, List<String>> closed = new ConcurrentHashMap<>();
  private int duplicates;
  volatile boolean ackDisabled;

  FakeConversations(ActorTestKit kit, Path workspaces) {
    this.kit = kit;
    this.workspaces = workspaces;
  }

  RecipientRef<ConversationEntity.Command> of(String conversationId) {
    return refs.computeIfAbsent(conversationId, id -> kit.spawn(behavior(id)));
  }

  /** Whether anything ever looked the conversation up (as the channel does before it asks an entity anything). */
  boolean touched(String conversationId) {
    return refs.containsKey(conversationId);
  }

  Path workspace(String conversationId) {
    return workspaces.resolve(conversationId.replace(':', '_'));
  }

  private Behavior<ConversationEntity.Command> behavior(String id) {
    return Behaviors.receive(ConversationEntity.Command.class)
        .onMessage(ConversationEntity.SubmitUserMessage.class, m -> {
          boolean duplicate;
          synchronized (lock) {
            duplicate = !seen.add(id + "/" + m.messageId());
            if (duplicate) duplicates++;
            else accepted.computeIfAbsent(id, k -> new ArrayList<>()).add(m);
            lock.notifyAll();
          }
          if (!ackDisabled) m.replyTo().tell(StatusReply.success(new ConversationEntity.Accepted(duplicate)));
          return Behaviors.same();
        })
        .onMessage(ConversationEntity.CloseConversation.class, m -> {
          synchronized (lock) {
            closed.computeIfAbsent(id, k -> new ArrayList<>()).add(m.reason());
            lock.notifyAll();
          }
          m.replyTo().tell(StatusReply.ack());
          return Behaviors.same();
        })
        .onMessage(ConversationEntity.GetWorkspace.class, m -> {
          m.replyTo().tell(StatusReply.success(workspace(id).toString()));
          return Behaviors.same();
        })
        .build();
  }

  /** The reasons each close of the conversation was asked with. */
  List<String> closed(String conversationId) {
    synchronized (lock) {
      return List.copyOf(closed.getOrDefault(conversationId, List.of()));
    }
  }

  List<ConversationEntity.SubmitUserMessage> accepted(String conversationId) {
    synchronized (lock) {
      return List.copyOf(accepted.getOrDefault(conversationId, List.of()));
    }
  }

  int duplicates() {
    synchronized (lock) {
      return duplicates;
    }
  }

  List<ConversationEntity.SubmitUserMessage> await(String conversationId, int n, Duration timeout) throws InterruptedException {
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
