package partyclaw.app.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * One client of the console socket: {@code partyclaw status} asks once, {@code partyclaw chat} attaches to a
 * conversation and types lines into it. Requests are read on the connection's own thread and answered in order;
 * events (replies, activity) are queued and written by a second thread, so a slow terminal never blocks a channel.
 */
final class ConsoleConnection {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConsoleConnection.class);
  private static final AtomicLong IDS = new AtomicLong();
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final long ASK_SECONDS = 30;
  /** Events a terminal may fall behind by before it is dropped; its conversation keeps going without it. */
  private static final int MAX_QUEUED = 10_000;
  private static final ObjectNode CLOSE = JsonLines.JSON.createObjectNode();

  private final SocketChannel channel;
  private final ConsoleBackend backend;
  private final AttachedTerminals terminals;
  private final String id = Long.toString(IDS.incrementAndGet());
  private final LinkedBlockingQueue<ObjectNode> outgoing = new LinkedBlockingQueue<>();
  private volatile String conversationId;
  private long sent;

  ConsoleConnection(SocketChannel channel, ConsoleBackend backend, AttachedTerminals terminals) {
    this.channel = channel;
    this.backend = backend;
    this.terminals = terminals;
  }

  String conversationId() {
    return conversationId;
  }

  /** Queues an event for the terminal. */
  void send(ObjectNode event) {
    if (outgoing.size() >= MAX_QUEUED) {
      LOG.warn("attached terminal {} is not reading; disconnected", id);
      close();
      return;
    }
    outgoing.add(event);
  }

  /** Serves the connection until the client leaves; runs on the connection's thread. */
  void serve() {
    Thread writer = new Thread(this::writeLoop, "partyclaw-console-out-" + id);
    writer.setDaemon(true);
    writer.start();
    try {
      JsonLines in = new JsonLines(channel);
      JsonNode request;
      while ((request = in.read()) != null) {
        if (!handle(request)) break;
      }
    } catch (IOException e) {
      LOG.debug("console client {} left: {}", id, e.toString());
    } finally {
      String attached = conversationId;
      if (attached != null && terminals.detach(attached, this)) backend.detached(attached);
      outgoing.add(CLOSE);
    }
  }

  /** False when the connection should end after this request. */
  private boolean handle(JsonNode request) {
    String op = request.path("op").asText("");
    switch (op) {
      case "status" -> {
        ObjectNode status = await(backend.status().toCompletableFuture(), null);
        if (status == null) {
          send(error("the daemon did not answer the status request in time"));
        } else {
          ObjectNode reply = event("status");
          reply.set("status", status);
          send(reply);
        }
        return false;
      }
      case "attach" -> {
        if (conversationId != null) {
          send(error("already attached to " + conversationId));
          return true;
        }
        String requested = request.path("conversation").asText("");
        String user = request.path("user").asText("");
        String conversation;
        if (!requested.isBlank()) {
          String problem = ConversationIds.problem(requested);
          if (problem != null) {
            send(error(problem));
            return false;
          }
          conversation = requested;
        } else {
          if (!USER.matcher(user).matches()) {
            send(error("user name must be 1-64 characters of A-Z a-z 0-9 . _ -"));
            return false;
          }
          conversation = ConsoleChannel.CHANNEL_ID + ":" + user;
        }
        conversationId = conversation;
        if (terminals.attach(conversation, this)) backend.attached(conversation);
        ObjectNode reply = event("attached");
        reply.put("conversation", conversation);
        send(reply);
        return true;
      }
      case "send" -> {
        if (conversationId == null) {
          send(error("attach to a conversation first"));
          return true;
        }
        String text = request.path("text").asText("");
        if (text.isBlank()) return true;
        sent++;
        String user = conversationId.startsWith(ConsoleChannel.CHANNEL_ID + ":")
            ? conversationId.substring(ConsoleChannel.CHANNEL_ID.length() + 1) : "console";
        Boolean accepted = await(backend.submit(conversationId, "console-" + ProcessHandle.current().pid() + "-" + id
            + "-" + sent, user, text).toCompletableFuture(), null);
        if (accepted == null) {
          send(error("the conversation did not accept the message in time; it was not sent"));
        } else {
          ObjectNode reply = event("accepted");
          reply.put("seq", sent);
          send(reply);
        }
        return true;
      }
      case "finish" -> {
        // The client's input ended: it leaves once everything the conversation owes it is printed.
        while (conversationId != null && channel.isOpen()) {
          Boolean quiet = await(backend.quiet(conversationId).toCompletableFuture(), false);
          if (Boolean.TRUE.equals(quiet)) break;
          try {
            Thread.sleep(200);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        }
        send(event("idle"));
        return true;
      }
      default -> {
        send(error("unknown request '" + op + "'"));
        return true;
      }
    }
  }

  private static <T> T await(java.util.concurrent.CompletableFuture<T> future, T otherwise) {
    try {
      return future.get(ASK_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return otherwise;
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("console request failed: {}", String.valueOf(e.getCause() == null ? e : e.getCause()));
      return otherwise;
    }
  }

  private void writeLoop() {
    try {
      while (true) {
        ObjectNode next = outgoing.take();
        if (next == CLOSE) break;
        JsonLines.write(channel, next);
      }
    } catch (IOException e) {
      LOG.debug("console client {} stopped reading: {}", id, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      close();
    }
  }

  void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  static ObjectNode event(String type) {
    ObjectNode node = JsonLines.JSON.createObjectNode();
    node.put("type", type);
    return node;
  }

  private static ObjectNode error(String message) {
    ObjectNode node = event("error");
    node.put("message", message);
    return node;
  }
}
