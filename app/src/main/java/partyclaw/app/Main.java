package partyclaw.app;

import picocli.CommandLine;

/** Entry point of the {@code partyclaw} binary. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = new CommandLine(new PartyclawCommand())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .execute(args);
    // "run" keeps the JVM alive itself and exits through coordinated shutdown; other commands end here.
    if (code != RunCommand.KEEP_RUNNING) System.exit(code);
  }
}
