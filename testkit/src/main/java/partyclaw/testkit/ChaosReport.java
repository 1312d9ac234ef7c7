package partyclaw.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

/**
 * The summary of one chaos or fuzz suite: lines printed to stdout and written to
 * {@code target/chaos-reports/<suite>.txt} of the module that ran it, where {@code scripts/chaos} collects them.
 * Also the suites' shared knobs: the seed ({@code -Dchaos.seed}, printed so that any run can be repeated) and counts.
 */
public final class ChaosReport {
  private final String suite;
  private final Path file;
  private final StringBuilder text = new StringBuilder();
  private final long createdNanos = System.nanoTime();

  public ChaosReport(String suite) {
    this.suite = suite;
    this.file = Path.of("target", "chaos-reports", suite + ".txt").toAbsolutePath();
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, "");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the chaos report " + file, e);
    }
  }

  /** {@code -Dchaos.seed}, else a fresh one; either way the caller prints it. */
  public static long seed() {
    String given = System.getProperty("chaos.seed", "").trim();
    return given.isEmpty() ? new Random().nextLong() & Long.MAX_VALUE : Long.parseLong(given);
  }

  /** {@code -D<name>} as a whole number, else {@code fallback}. */
  public static int count(String name, int fallback) {
    String given = System.getProperty(name, "").trim();
    return given.isEmpty() ? fallback : Integer.parseInt(given);
  }

  /** {@code -D<name>} as a decimal number, else {@code fallback}. */
  public static double number(String name, double fallback) {
    String given = System.getProperty(name, "").trim();
    return given.isEmpty() ? fallback : Double.parseDouble(given);
  }

  /**
   * Adds a line to the report, prefixed with the seconds since the suite began (and prints it at once, so a hung
   * suite still shows how far it got).
   */
  public synchronized ChaosReport line(String format, Object... args) {
    String line = String.format(java.util.Locale.ROOT, "[%6.1f s] ", (System.nanoTime() - createdNanos) / 1e9)
        + (args.length == 0 ? format : String.format(java.util.Locale.ROOT, format, args));
    text.append(line).append('\n');
    System.out.println("[chaos " + suite + "] " + line);
    System.out.flush();
    try {
      Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the chaos report " + file, e);
    }
    return this;
  }

  public synchronized String text() {
    return text.toString();
  }

  public Path file() {
    return file;
  }
}
