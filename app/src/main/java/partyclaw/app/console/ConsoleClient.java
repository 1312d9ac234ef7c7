package partyclaw.app.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** The client side of the console socket, for {@code partyclaw chat} and {@code partyclaw status}. */
public final class ConsoleClient implements AutoCloseable {
  /** No daemon answers on the workdir; the message says why, for the operator. */
  public static final class NoDaemon extends Exception {
    NoDaemon(String message) {
      super(message);
    }
  }

  private final SocketChannel channel;
  private final JsonLines in;

  private ConsoleClient(SocketChannel channel) {
    this.channel = channel;
    this.in = new JsonLines(channel);
  }

  public static ConsoleClient connect(Path workdir) throws NoDaemon, IOException {
    // Not ConsoleSocket.pathOf: loading that class would start logging (and a log file) in a client.
    Path socket = workdir.toAbsolutePath().normalize().resolve(ConsoleSocket.FILE_NAME);
    if (!Files.exists(workdir)) {
      throw new NoDaemon("no partyclaw daemon is running on workdir " + workdir.toAbsolutePath().normalize()
          + " (the directory does not exist)");
    }
    if (!Files.exists(socket)) {
      throw new NoDaemon("no partyclaw daemon is running on workdir " + workdir.toAbsolutePath().normalize()
          + " (no console socket " + socket + "); start one with: partyclaw run --config <file> --workdir "
          + workdir);
    }
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      ch.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      ch.close();
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      if (why.contains("refused")) {
        throw new NoDaemon("no partyclaw daemon is running on workdir " + workdir.toAbsolutePath().normalize()
            + " (" + socket + " is left from a daemon that stopped without removing it)");
      }
      if (why.contains("denied")) {
        throw new NoDaemon("cannot connect to " + socket + ": permission denied (the daemon runs as another user;"
            + " only that user can attach)");
      }
      throw new NoDaemon("cannot connect to " + socket + ": " + why);
    }
    return new ConsoleClient(ch);
  }

  public void send(ObjectNode request) throws IOException {
    synchronized (channel) {
      JsonLines.write(channel, request);
    }
  }

  public static ObjectNode request(String op) {
    ObjectNode node = JsonLines.JSON.createObjectNode();
    node.put("op", op);
    return node;
  }

  /** The next event, null when the daemon closed the connection. */
  public JsonNode next() throws IOException {
    return in.read();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
