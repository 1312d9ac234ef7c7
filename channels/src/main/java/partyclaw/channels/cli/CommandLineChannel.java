package partyclaw.channels.cli;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.pattern.StatusReply;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import partyclaw.actors.conversation.ConversationEntity;
import partyclaw.actors.metrics.RuntimeMetrics;
import partyclaw.actors.metrics.RuntimeMetricsExtension;
import partyclaw.actors.outbox.ChannelMessage;
import partyclaw.actors.outbox.Deliver;
import partyclaw.actors.outbox.ReplyOption;
import partyclaw.actors.outbox.DeliveryReport;
import partyclaw.actors.outbox.DeliveryRouter;
import partyclaw.actors.outbox.TextDelta;

/**
 * The {@code command_line} channel: every stdin line is a user message to conversation {@code <channel id>:local};
 * replies and {@code user_tell} messages are printed to stdout, one block per message, nothing else (logs go to
 * stderr), so scripts can read them; on a terminal the model's text is printed as it streams ({@link LivePrinter}). Works with piped, non-terminal stdin. When stdin ends it reports
 * {@link Finished} once the conversation has nothing left to do or deliver.
 */
public final class CommandLineChannel {

  public sealed interface Command {}

  private record Delivery(ChannelMessage message) implements Command {}

  private record InputEnded() implements Command {}

  private record CheckQuiet() implements Command {}

  private record QuietChecked(boolean quiet) implements Command {}

  /** Sent to {@code onFinished} when stdin ended and everything pending was delivered. */
  public record Finished(String channelId) {}

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CommandLineChannel.class);
  static final String LOCAL_CHAT = "local";
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);
  private static final int REMEMBERED_DELIVERIES = 10_000;

  public static String conversationIdOf(String channelId) {
    return channelId + ":" + LOCAL_CHAT;
  }

  public static Behavior<Command> create(String channelId, String prompt, InputStream in, PrintStream out,
      DeliveryRouter router, ActorRef<Finished> onFinished) {
    // stdout is a terminal: System.console() is non-null only when both stdin and stdout are
    return create(channelId, prompt, in, out, router, onFinished, System.console() != null && out == System.out);
  }

  /** {@code live}: print the model's text as it streams (a terminal), not only whole messages (a pipe). */
  public static Behavior<Command> create(String channelId, String prompt, InputStream in, PrintStream out,
      DeliveryRouter router, ActorRef<Finished> onFinished, boolean live) {
    return Behaviors.setup(ctx -> {
      String conversationId = conversationIdOf(channelId);
      router.register(channelId, ctx.messageAdapter(ChannelMessage.class, Delivery::new));
      EntityRef<ConversationEntity.Command> conversation =
          ClusterSharding.get(ctx.getSystem()).entityRefFor(ConversationEntity.TYPE_KEY, conversationId);
      boolean interactive = System.console() != null && in == System.in;
      ActorRef<Command> self = ctx.getSelf();
      RuntimeMetrics metrics = RuntimeMetricsExtension.of(ctx.getSystem());
      Thread reader = new Thread(() -> readLoop(self, in, out, conversation, interactive ? prompt : null,
          () -> metrics.messageReceived(channelId)),
          "partyclaw-cli-" + channelId);
      reader.setDaemon(true);
      reader.start();
      router.channelStarted(channelId);
      return running(ctx, channelId, new LivePrinter(out, live), conversation, onFinished, new LinkedHashSet<>(),
          false);
    });
  }

  private static Behavior<Command> running(ActorContext<Command> ctx, String channelId, LivePrinter out,
      EntityRef<ConversationEntity.Command> conversation, ActorRef<Finished> onFinished,
      LinkedHashSet<Long> printed, boolean inputEnded) {
    return Behaviors.receive(Command.class)
        .onMessage(Delivery.class, d -> {
          RuntimeMetrics metrics = RuntimeMetricsExtension.of(ctx.getSystem());
          metrics.channelMessage(d.message());
          if (d.message() instanceof TextDelta t) out.delta(t);
          // Turn activity is not shown: stdout carries only messages, so scripts can read them.
          if (!(d.message() instanceof Deliver m)) return Behaviors.same();
          // The outbox is at-least-once; printing is not repeated for an id already printed in this process.
          if (printed.add(m.outboundId())) {
            // No buttons on a terminal: each option says what to type.
            out.message(m.options().isEmpty() ? m.text() : m.text() + "\n" + ReplyOption.asText(m.options()));
            if (printed.size() > REMEMBERED_DELIVERIES) printed.remove(printed.iterator().next());
            metrics.deliveryDone(m, RuntimeMetrics.DeliveryResult.DELIVERED);
          } else {
            metrics.deliveryDone(m, RuntimeMetrics.DeliveryResult.ALREADY_REPORTED);
          }
          m.reportTo().tell(new DeliveryReport.Delivered(m.outboundId()));
          return Behaviors.same();
        })
        .onMessage(InputEnded.class, e -> {
          ctx.getSelf().tell(new CheckQuiet());
          return running(ctx, channelId, out, conversation, onFinished, printed, true);
        })
        .onMessage(CheckQuiet.class, c -> {
          CompletionStage<ConversationEntity.Status> status =
              conversation.askWithStatus(ConversationEntity.GetStatus::new, ASK_TIMEOUT);
          ctx.pipeToSelf(status, (s, err) -> new QuietChecked(s != null && s.quiet()));
          return Behaviors.same();
        })
        .onMessage(QuietChecked.class, q -> {
          if (q.quiet()) {
            onFinished.tell(new Finished(channelId));
          } else {
            ctx.scheduleOnce(Duration.ofMillis(200), ctx.getSelf(), new CheckQuiet());
          }
          return Behaviors.same();
        })
        .build();
  }

  /** Runs on its own thread: stdin is blocking I/O. Each line is submitted and acknowledged before the next. */
  private static void readLoop(ActorRef<Command> self, InputStream in, PrintStream out,
      EntityRef<ConversationEntity.Command> conversation, String prompt, Runnable onAccepted) {
    String runId = UUID.randomUUID().toString().substring(0, 8);
    long lineNo = 0;
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      while (true) {
        if (prompt != null) {
          out.print(prompt);
          out.flush();
        }
        String line = reader.readLine();
        if (line == null) break;
        if (line.isBlank()) continue;
        lineNo++;
        List<String> attachments = List.of();
        String text = line;
        String attach = attachmentCommand(line);
        if (attach != null) {
          // a path that is not there is said so and the channel goes on (the reference's channel fails and restarts)
          String saved = saveAttachment(conversation, attach.strip(), out);
          if (saved == null) continue;
          attachments = List.of(saved);
          text = "";
        }
        if (submit(conversation, "cli-" + runId + "-" + lineNo, text, attachments)) onAccepted.run();
      }
    } catch (IOException e) {
      LOG.warn("stdin could not be read any more: {}", e.getMessage());
    }
    self.tell(new InputEnded());
  }

  /**
   * Retries until the conversation accepted the line: a line read from stdin cannot be read again. True when the
   * conversation took it as a new message.
   */
  /** The path of a {@code /file <path>} or {@code /image <path>} line, or null for any other line. */
  static String attachmentCommand(String line) {
    String trimmed = line.strip();
    for (String command : List.of("/file ", "/image ")) {
      if (trimmed.startsWith(command) && !trimmed.substring(command.length()).isBlank()) {
        return trimmed.substring(command.length()).strip();
      }
    }
    return null;
  }

  /**
   * Copies a local file into the conversation's workspace as {@code upload/<uuid>-<name>} (as the chat channels
   * save inbound files) and returns that workspace path; null, with the reason printed, when it cannot.
   */
  private static String saveAttachment(EntityRef<ConversationEntity.Command> conversation, String raw,
      PrintStream out) {
    java.nio.file.Path source = java.nio.file.Path.of(raw.startsWith("~/")
        ? System.getProperty("user.home") + raw.substring(1) : raw).toAbsolutePath();
    if (!java.nio.file.Files.isRegularFile(source)) {
      out.println("[error] no such file: " + source);
      out.flush();
      return null;
    }
    try {
      String root = conversation.<String>askWithStatus(ConversationEntity.GetWorkspace::new, ASK_TIMEOUT)
          .toCompletableFuture().get(ASK_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
      String name = source.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
      if (name.length() > 120) name = name.substring(name.length() - 120);
      String relative = "upload/" + UUID.randomUUID() + "-" + name;
      java.nio.file.Path target = java.nio.file.Path.of(root).resolve(relative);
      java.nio.file.Files.createDirectories(target.getParent());
      java.nio.file.Files.copy(source, target);
      return relative;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException | TimeoutException | IOException e) {
      out.println("[error] could not attach " + source + ": " + (e.getCause() == null ? e : e.getCause()).getMessage());
      out.flush();
      return null;
    }
  }

  private static boolean submit(EntityRef<ConversationEntity.Command> conversation,
      String messageId, String text, List<String> attachments) {
    long backoffMs = 200;
    while (true) {
      try {
        ConversationEntity.Accepted accepted = conversation.<ConversationEntity.Accepted>askWithStatus(
                replyTo -> new ConversationEntity.SubmitUserMessage(messageId, "local-user", "Local CLI", text,
                    attachments, replyTo),
                ASK_TIMEOUT)
            .toCompletableFuture().get(ASK_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        return !accepted.duplicate();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (ExecutionException | TimeoutException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof StatusReply.ErrorMessage) {
          LOG.warn("message not accepted: {}", cause.getMessage());
          return false;
        }
        LOG.warn("conversation not reachable yet ({}); retrying", cause.toString());
        try {
          Thread.sleep(backoffMs);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return false;
        }
        backoffMs = Math.min(5000, backoffMs * 2);
      }
    }
  }
}
