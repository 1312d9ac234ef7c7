package partyclaw.channels.web;

import akka.NotUsed;
import akka.stream.BoundedSourceQueue;
import akka.stream.Materializer;
import akka.stream.QueueOfferResult;
import akka.stream.javadsl.Source;
import akka.japi.Pair;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.core.json.Json;

/**
 * The channel's broadcast bus (spec 2.5): every event goes to every authenticated {@code /ws} client, which filters
 * by {@code conversation_key}, and to the channel's own listeners (the OpenAI endpoint's open requests). In a cluster
 * every node serves the channel and a conversation's events arise on the node that runs it: {@link #spanNodes} sends
 * each event to the other nodes too, which {@link #deliverLocally} it to their clients. Each client has its own bounded buffer of {@link #CLIENT_BUFFER} events: a client
 * that reads too slowly loses events (newest dropped while its buffer is full) and nobody else notices; its first
 * loss is logged. Publishing never blocks and is safe from any thread.
 */
final class WebEvents {
  private static final Logger LOG = LoggerFactory.getLogger(WebEvents.class);
  static final int CLIENT_BUFFER = 256;

  /** One connected client: its queue, and how many events it lost. */
  static final class Client {
    final long id;
    final BoundedSourceQueue<String> queue;
    final AtomicLong dropped = new AtomicLong();

    Client(long id, BoundedSourceQueue<String> queue) {
      this.id = id;
      this.queue = queue;
    }

    /** Offers one event to this client only; false when it was dropped. */
    boolean offer(String event) {
      try {
        return queue.offer(event) == QueueOfferResult.enqueued();
      } catch (RuntimeException closed) {
        return true; // the client is going away: nothing to count as lost
      }
    }

    void close() {
      try {
        queue.complete();
      } catch (RuntimeException alreadyClosed) {
        // completed before (a wrong token, the socket closed): nothing left to do
      }
    }
  }

  private final String channelId;
  private final Materializer mat;
  private final Map<Long, Client> clients = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final List<Consumer<ObjectNode>> listeners = new CopyOnWriteArrayList<>();
  private volatile Consumer<ObjectNode> otherNodes = e -> {};

  WebEvents(String channelId, Materializer mat) {
    this.channelId = channelId;
    this.mat = mat;
  }

  /** A new client's queue and the source that emits it; the client receives broadcasts once {@link #join}ed. */
  Pair<Client, Source<String, NotUsed>> open() {
    Pair<BoundedSourceQueue<String>, Source<String, NotUsed>> pre = Source.<String>queue(CLIENT_BUFFER).preMaterialize(mat);
    return Pair.create(new Client(ids.incrementAndGet(), pre.first()), pre.second());
  }

  void join(Client c) {
    clients.put(c.id, c);
  }

  void leave(Client c) {
    clients.remove(c.id);
    c.close();
    if (c.dropped.get() > 0) {
      LOG.info("web {}: WebSocket client {} left; it lost {} event(s) by reading too slowly", channelId, c.id,
          c.dropped.get());
    }
  }

  int clientCount() {
    return clients.size();
  }

  /** {@code listener} sees every event of this node's clients, from whichever node it came. */
  void listen(Consumer<ObjectNode> listener) {
    listeners.add(listener);
  }

  /** In a cluster: where this node's events go besides its own clients. */
  void spanNodes(Consumer<ObjectNode> toOtherNodes) {
    otherNodes = toOtherNodes;
  }

  void publish(ObjectNode event) {
    deliverLocally(event);
    otherNodes.accept(event);
  }

  /** To this node's clients and listeners only: an event published here, or on another node. */
  void deliverLocally(ObjectNode event) {
    for (Consumer<ObjectNode> l : listeners) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("web {}: a listener failed on a {} event: {}", channelId, event.path("type").asText(), e.toString());
      }
    }
    String text = Json.write(event);
    for (Client c : clients.values()) {
      if (!c.offer(text) && c.dropped.getAndIncrement() == 0) {
        LOG.warn("web {}: WebSocket client {} reads too slowly; events beyond its {} buffered are dropped for it",
            channelId, c.id, CLIENT_BUFFER);
      }
    }
  }

  static ObjectNode event(String type, String conversationKey) {
    ObjectNode e = Json.object();
    e.put("type", type);
    if (conversationKey != null) e.put("conversation_key", conversationKey);
    return e;
  }
}
