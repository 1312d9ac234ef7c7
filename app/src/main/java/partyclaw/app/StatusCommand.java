package partyclaw.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import partyclaw.app.console.ConsoleClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code partyclaw status --workdir W [--json]}: what the daemon running on W is doing. Exit 0 when it is up, 3 when
 * no daemon runs there (as {@code systemctl status} does), 1 when it did not answer.
 */
@Command(name = "status", description = "Show the state of the daemon running on a workdir.")
public final class StatusCommand implements Callable<Integer> {
  static final int DOWN = 3;

  @Option(names = "--workdir", required = true, description = "The workdir of the daemon.")
  Path workdir;

  @Option(names = "--json", description = "Print the state as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ConsoleClient client;
    try {
      client = ConsoleClient.connect(workdir);
    } catch (ConsoleClient.NoDaemon e) {
      if (json) {
        System.out.println("{\"state\":\"down\",\"reason\":" + com.fasterxml.jackson.databind.node.TextNode
            .valueOf(e.getMessage()) + "}");
      } else {
        System.out.println("partyclaw: down: " + e.getMessage());
      }
      return DOWN;
    }
    try (client) {
      client.send(ConsoleClient.request("status"));
      JsonNode reply = client.next();
      if (reply == null || !"status".equals(reply.path("type").asText())) {
        System.err.println("partyclaw status: the daemon did not answer"
            + (reply == null ? "" : ": " + reply.path("message").asText(reply.toString())));
        return 1;
      }
      JsonNode s = reply.path("status");
      System.out.println(json ? s.toString() : StatusText.render(s));
      return 0;
    }
  }
}
