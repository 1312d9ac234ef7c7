package partyclaw.app.management;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.sharding.ShardRegion;
import akka.cluster.sharding.typed.GetShardRegionState;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import partyclaw.actors.conversation.ConversationEntity;

/** How many conversation entities run on this node (passivated ones do not), from the shard region's state. */
final class ShardedConversations {
  private ShardedConversations() {}

  static CompletionStage<Integer> count(ActorSystem<?> system, Duration timeout) {
    return AskPattern.<akka.cluster.sharding.typed.ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
            ClusterSharding.get(system).shardState(),
            replyTo -> new GetShardRegionState(ConversationEntity.TYPE_KEY, replyTo), timeout, system.scheduler())
        .thenApply(state -> state.getShards().stream().mapToInt(s -> s.getEntityIds().size()).sum());
  }
}
