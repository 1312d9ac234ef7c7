package partyclaw.app.console;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The daemon's console: a Unix domain socket {@code <workdir>/partyclaw.sock}, readable and writable by the
 * daemon's user only, served to {@code partyclaw chat} and {@code partyclaw status}. There is no network port.
 * The socket is bound inside a private (0700) directory, made 0600, then moved into the workdir, so no other user
 * can connect between the bind and the chmod; a client whose peer credentials name another user (root aside) is
 * refused too. Removed at shutdown; a socket left by a killed daemon is replaced at the next start (the workdir
 * lock guarantees no daemon serves it).
 */
public final class ConsoleSocket implements AutoCloseable {
  public static final String FILE_NAME = "partyclaw.sock";
  /** Linux's sun_path holds 108 bytes, the terminating NUL included. */
  static final int MAX_PATH_BYTES = 107;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConsoleSocket.class);

  private final Path path;
  private final ServerSocketChannel server;
  private final String owner;
  private volatile boolean closed;
  private final java.util.Set<SocketChannel> clients = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private ConsoleSocket(Path path, ServerSocketChannel server, String owner) {
    this.path = path;
    this.server = server;
    this.owner = owner;
  }

  public static Path pathOf(Path workdir) {
    return workdir.toAbsolutePath().normalize().resolve(FILE_NAME);
  }

  /** Binds the socket and starts accepting; fails with a message an operator can act on. */
  public static ConsoleSocket start(Path workdir, ConsoleBackend backend, AttachedTerminals terminals)
      throws IOException {
    Path path = pathOf(workdir);
    if (path.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
      throw new IOException("the console socket path " + path + " is longer than " + MAX_PATH_BYTES
          + " bytes (a Unix socket limit); use a shorter --workdir to get `partyclaw chat` and `partyclaw status`");
    }
    Files.deleteIfExists(path); // left by a daemon that was killed; we hold the workdir lock
    Path privateDir = Files.createTempDirectory(path.getParent(), ".sock-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      Path staging = privateDir.resolve("s");
      server.bind(UnixDomainSocketAddress.of(staging));
      Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rw-------"));
      Files.move(staging, path, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    } finally {
      Files.deleteIfExists(privateDir.resolve("s"));
      Files.deleteIfExists(privateDir);
    }
    ConsoleSocket socket = new ConsoleSocket(path, server, System.getProperty("user.name"));
    Thread acceptor = new Thread(() -> socket.acceptLoop(backend, terminals), "partyclaw-console-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    LOG.info("console socket listening at {}", path);
    return socket;
  }

  public Path path() {
    return path;
  }

  private void acceptLoop(ConsoleBackend backend, AttachedTerminals terminals) {
    while (!closed) {
      SocketChannel client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (!closed) LOG.warn("console socket stopped accepting: {}", e.toString());
        return;
      }
      if (!sameUser(client)) {
        closeQuietly(client);
        continue;
      }
      clients.add(client);
      ConsoleConnection connection = new ConsoleConnection(client, backend, terminals);
      Thread t = new Thread(() -> {
        try {
          connection.serve();
        } finally {
          clients.remove(client);
        }
      }, "partyclaw-console-in");
      t.setDaemon(true);
      t.start();
    }
  }

  private boolean sameUser(SocketChannel client) {
    try {
      UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
      String user = peer.user().getName();
      if (user.equals(owner) || user.equals("root")) return true;
      LOG.warn("console socket refused a client running as user '{}' (the daemon runs as '{}')", user, owner);
      return false;
    } catch (IOException | UnsupportedOperationException e) {
      // The file mode already keeps other users out; without peer credentials that is the only check.
      return true;
    }
  }

  private static void closeQuietly(SocketChannel c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  /** Stops accepting and removes the socket file; attached terminals see the end of their stream. */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    clients.forEach(ConsoleSocket::closeQuietly);
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      LOG.warn("could not remove the console socket {}: {}", path, e.toString());
    }
  }
}
