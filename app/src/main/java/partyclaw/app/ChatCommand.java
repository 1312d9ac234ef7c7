package partyclaw.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import partyclaw.app.console.ConsoleClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code partyclaw chat --workdir W [--conversation ID]}: a terminal on the daemon running on W. Each line typed is
 * a message to {@code console:<user>} (or the conversation named); replies and {@code user_tell} messages are
 * printed on stdout, one block per message. When stdin ends it waits until every reply is printed, then exits 0.
 */
@Command(name = "chat", description = "Attach this terminal to the daemon running on a workdir.")
public final class ChatCommand implements Callable<Integer> {
  static final int NO_DAEMON = 2;

  @Option(names = "--workdir", required = true, description = "The workdir of the running daemon.")
  Path workdir;

  @Option(names = "--conversation",
      description = "An existing conversation (e.g. telegram-main:12345) instead of console:<your user name>.")
  String conversation;

  @Override
  public Integer call() throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    ConsoleClient client;
    try {
      client = ConsoleClient.connect(workdir);
    } catch (ConsoleClient.NoDaemon e) {
      System.err.println("partyclaw chat: " + e.getMessage());
      return NO_DAEMON;
    }
    try (client) {
      ObjectNode attach = ConsoleClient.request("attach");
      attach.put("user", System.getProperty("user.name", "user"));
      if (conversation != null) attach.put("conversation", conversation);
      client.send(attach);
      JsonNode first = client.next();
      if (first == null) {
        System.err.println("partyclaw chat: the daemon closed the connection");
        return 1;
      }
      if (!"attached".equals(first.path("type").asText())) {
        System.err.println("partyclaw chat: " + first.path("message").asText(first.toString()));
        return 2;
      }
      boolean interactive = System.console() != null;
      if (interactive) {
        System.err.println("attached to " + first.path("conversation").asText()
            + "; type a message and press Enter, Ctrl-D to leave");
      }
      // Answers to our requests, handed from the reading thread to the typing one.
      LinkedBlockingQueue<JsonNode> answers = new LinkedBlockingQueue<>();
      Thread reader = new Thread(() -> readEvents(client, out, answers, interactive), "partyclaw-chat-events");
      reader.setDaemon(true);
      reader.start();

      BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = stdin.readLine()) != null) {
        if (line.isBlank()) continue;
        ObjectNode send = ConsoleClient.request("send");
        send.put("text", line);
        client.send(send);
        JsonNode answer = answers.take();
        if (answer.isMissingNode()) return disconnected();
        if ("error".equals(answer.path("type").asText())) {
          System.err.println("partyclaw chat: " + answer.path("message").asText());
        }
      }
      client.send(ConsoleClient.request("finish"));
      while (true) {
        JsonNode answer = answers.take();
        if (answer.isMissingNode()) return disconnected();
        if ("idle".equals(answer.path("type").asText())) return 0;
      }
    }
  }

  private static int disconnected() {
    System.err.println("partyclaw chat: the daemon went away (stopped or restarted)");
    return 1;
  }

  private static void readEvents(ConsoleClient client, PrintStream out, LinkedBlockingQueue<JsonNode> answers,
      boolean interactive) {
    try {
      JsonNode e;
      while ((e = client.next()) != null) {
        switch (e.path("type").asText()) {
          case "message" -> {
            out.println(e.path("text").asText());
            out.println();
            out.flush();
          }
          case "activity" -> {
            if (interactive) System.err.println(activityLine(e));
          }
          case "accepted", "idle", "error" -> answers.add(e);
          default -> { }
        }
      }
    } catch (IOException ignored) {
      // the daemon went away: reported below
    }
    answers.add(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
  }

  /** A short line on stderr while a turn runs, so an operator at a terminal sees it work. */
  public static String activityLine(JsonNode e) {
    String phase = e.path("phase").asText();
    return switch (phase) {
      case "THINKING" -> "[thinking]";
      case "TOOLS" -> {
        StringBuilder b = new StringBuilder("[tools]");
        for (JsonNode t : e.path("tools")) b.append(' ').append(t.path("name").asText()).append('(')
            .append(t.path("status").asText()).append(')');
        yield b.toString();
      }
      case "FINISHED" -> "[done: " + e.path("outcome").asText("") + "]";
      default -> "[" + phase.toLowerCase(java.util.Locale.ROOT) + "]";
    };
  }
}
