package partyclaw.testkit;

import ch.qos.logback.classic.Level;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code FakeLlmServerMain --port N [--delay-ms N]}: serves the default "instant model" reply until killed.
 * Prints {@code READY <baseUrl>} on stdout once bound, so scripts can wait for that line.
 */
public final class FakeLlmServerMain {

  private FakeLlmServerMain() {}

  public static void main(String[] args) {
    int port = 0;
    long delayMs = 0;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (i + 1 >= args.length && (arg.equals("--port") || arg.equals("--delay-ms"))) {
        usage("missing value after " + arg);
      }
      switch (arg) {
        case "--port" -> port = number(arg, args[++i]);
        case "--delay-ms" -> delayMs = number(arg, args[++i]);
        case "-h", "--help" -> {
          System.out.println("usage: FakeLlmServerMain --port N [--delay-ms N]");
          return;
        }
        default -> usage("unknown argument: " + arg);
      }
    }
    quietLogging();
    FakeLlmServer server = FakeLlmServer.start(port).setDelay(Duration.ofMillis(delayMs));
    System.out.println("READY " + server.baseUrl());
    System.out.flush();
    server.whenTerminated().toCompletableFuture().join();
  }

  /**
   * Logback's default configuration prints INFO to stdout, where scripts look for the READY line; keep it to
   * warnings unless the caller brought a logback configuration of their own.
   */
  private static void quietLogging() {
    if (System.getProperty("logback.configurationFile") != null) return;
    if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
      root.setLevel(Level.WARN);
    }
  }

  private static int number(String flag, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n < 0) usage(flag + " must be >= 0, got " + value);
      return n;
    } catch (NumberFormatException e) {
      usage(flag + " must be a whole number, got '" + value + "'");
      return 0;
    }
  }

  private static void usage(String problem) {
    System.err.println("FakeLlmServerMain: " + problem);
    System.err.println("usage: FakeLlmServerMain --port N [--delay-ms N]");
    System.exit(2);
  }
}
