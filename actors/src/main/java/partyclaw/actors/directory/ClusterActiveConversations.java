package partyclaw.actors.directory;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SingletonActor;
import akka.pattern.StatusReply;
import java.time.Duration;

/**
 * The {@link ActiveConversations} directory of a cluster: one instance (a cluster singleton, moved when its node
 * dies, its set recovered from the shared journal), reached on every node through this local front. The front
 * keeps what cannot cross the network on its own node: a {@link ActiveConversations.MarkActive}'s acknowledgement
 * value is answered here once the singleton confirmed, and a {@link ActiveConversations.GetActive} is asked as a
 * serializable {@link ActiveConversations.ListActive}.
 */
public final class ClusterActiveConversations {
  /** The singleton may be moving (its node died): asks wait that long, then the caller's own retry takes over. */
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);

  private ClusterActiveConversations() {}

  /** Starts the singleton (on the oldest node) and returns this node's front to it. */
  public static Behavior<ActiveConversations.Command> front(ActorSystem<?> system) {
    ActorRef<ActiveConversations.Command> singleton = ClusterSingleton.get(system)
        .init(SingletonActor.of(ActiveConversations.create(), "active-conversations"));
    return front(singleton);
  }

  static Behavior<ActiveConversations.Command> front(ActorRef<ActiveConversations.Command> singleton) {
    return Behaviors.setup(ctx -> {
      akka.actor.typed.Scheduler scheduler = ctx.getSystem().scheduler();
      return Behaviors.receive(ActiveConversations.Command.class)
        .onMessage(ActiveConversations.MarkActive.class, m -> {
          if (m.ackTo() == null) {
            singleton.tell(new ActiveConversations.MarkActive<>(m.conversationId(), null, null));
          } else {
            @SuppressWarnings("unchecked")
            ActiveConversations.MarkActive<Object> mark = (ActiveConversations.MarkActive<Object>) m;
            // No answer: the conversation is not acknowledged, so its channel asks again (nothing lost).
            AskPattern.<ActiveConversations.Command, ActiveConversations.Activated>ask(singleton,
                    r -> new ActiveConversations.Activate(mark.conversationId(), r), ASK_TIMEOUT, scheduler)
                .thenAccept(ok -> mark.ackTo().tell(StatusReply.success(mark.ack())));
          }
          return Behaviors.same();
        })
        .onMessage(ActiveConversations.GetActive.class, g -> {
          AskPattern.<ActiveConversations.Command, ActiveConversations.ActiveSet>ask(singleton,
                  ActiveConversations.ListActive::new, ASK_TIMEOUT, scheduler)
              .thenAccept(set -> g.replyTo().tell(set.conversationIds()));
          return Behaviors.same();
        })
        .onAnyMessage(other -> {
          singleton.tell(other);
          return Behaviors.same();
        })
        .build();
    });
  }
}
