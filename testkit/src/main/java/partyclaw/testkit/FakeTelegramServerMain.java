package partyclaw.testkit;

/**
 * {@code FakeTelegramServerMain --token T [--port N]}: serves a fake Bot API until killed; messages are queued
 * through {@code POST /_control/message}. Prints {@code READY <baseUrl>} on stdout once bound.
 */
public final class FakeTelegramServerMain {
  private static final String USAGE = "usage: FakeTelegramServerMain --token T [--port N]";

  private FakeTelegramServerMain() {}

  public static void main(String[] args) {
    int port = 0;
    String token = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-h") || arg.equals("--help")) {
        System.out.println(USAGE);
        return;
      }
      if (i + 1 >= args.length) usage("missing value after " + arg);
      switch (arg) {
        case "--port" -> port = port(args[++i]);
        case "--token" -> token = args[++i];
        default -> usage("unknown argument: " + arg);
      }
    }
    if (token == null || token.isBlank()) usage("--token is required (the bot token the daemon is configured with)");
    FakeTelegramServer server = FakeTelegramServer.start(token, port);
    System.out.println("READY " + server.baseUrl());
    System.out.flush();
    server.whenTerminated().toCompletableFuture().join();
  }

  private static int port(String value) {
    try {
      int n = Integer.parseInt(value);
      if (n < 0 || n > 65535) usage("--port must be 0..65535, got " + value);
      return n;
    } catch (NumberFormatException e) {
      usage("--port must be a whole number, got '" + value + "'");
      return 0;
    }
  }

  private static void usage(String problem) {
    System.err.println("FakeTelegramServerMain: " + problem);
    System.err.println(USAGE);
    System.exit(2);
  }
}
