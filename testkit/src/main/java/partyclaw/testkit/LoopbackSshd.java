package partyclaw.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's OpenSSH server on a loopback port for tests: its own config, a throwaway host key and user key in a temp
 * dir, and an ssh wrapper (for {@code AGENT_HOST_SSH_BIN}) whose config names two hosts: {@code loopback} (this
 * server, as the current user) and {@code refused} (a loopback port nobody listens on).
 */
public final class LoopbackSshd implements AutoCloseable {
  public static final Path SSHD = Path.of("/usr/sbin/sshd");
  public final Path dir;
  public final int port;
  public final Path sshWrapper;
  private final Process sshd;

  private LoopbackSshd(Path dir, int port, Path sshWrapper, Process sshd) {
    this.dir = dir;
    this.port = port;
    this.sshWrapper = sshWrapper;
    this.sshd = sshd;
  }

  public static LoopbackSshd start(Path dir) throws IOException, InterruptedException {
    if (!Files.isExecutable(SSHD)) {
      throw new IllegalStateException("these tests need Debian's openssh-server (" + SSHD + "); .ci/run installs it");
    }
    keygen(dir.resolve("host_key"));
    keygen(dir.resolve("user_key"));
    Files.copy(dir.resolve("user_key.pub"), dir.resolve("authorized_keys"));
    int port = freePort();
    int closed = freePort();
    String user = System.getProperty("user.name");
    Files.writeString(dir.resolve("sshd_config"), String.join("\n",
        "ListenAddress 127.0.0.1",
        "Port " + port,
        "HostKey " + dir.resolve("host_key"),
        "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
        "PidFile " + dir.resolve("sshd.pid"),
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PubkeyAuthentication yes",
        "PermitRootLogin prohibit-password",
        "StrictModes no",
        "UsePAM no",
        "AllowUsers " + user,
        "LogLevel ERROR",
        ""));
    Files.writeString(dir.resolve("ssh_config"), String.join("\n",
        "Host loopback",
        "  HostName 127.0.0.1",
        "  Port " + port,
        "Host refused",
        "  HostName 127.0.0.1",
        "  Port " + closed,
        "Host *",
        "  User " + user,
        "  IdentityFile " + dir.resolve("user_key"),
        "  IdentitiesOnly yes",
        "  StrictHostKeyChecking no",
        "  UserKnownHostsFile /dev/null",
        "  LogLevel ERROR",
        ""));
    Path wrapper = dir.resolve("ssh");
    Files.writeString(wrapper, "#!/bin/sh\nexec ssh -F '" + dir.resolve("ssh_config") + "' \"$@\"\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
    if ("root".equals(user)) Files.createDirectories(Path.of("/run/sshd")); // privilege separation needs it
    Process p = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("sshd exited with " + p.exitValue() + ": "
            + Files.readString(dir.resolve("sshd.log")));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return new LoopbackSshd(dir, port, wrapper, p);
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("sshd did not listen on port " + port + " within 15 s");
  }

  private static void keygen(Path key) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()))
        .redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("ssh-keygen failed");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    sshd.destroy();
    if (!sshd.waitFor(5, TimeUnit.SECONDS)) sshd.destroyForcibly();
  }
}
