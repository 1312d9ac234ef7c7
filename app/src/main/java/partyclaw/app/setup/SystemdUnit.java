package partyclaw.app.setup;

import java.nio.file.Path;
import java.util.List;

/**
 * The systemd user unit {@code partyclaw setup} writes (config-and-channels.md §4.3): every path absolute,
 * {@code Restart=always}, one {@code EnvironmentFile=-} line per {@code .env} file that exists.
 *
 * <p>Unlike the reference, only the {@code ExecStart} arguments are double-quoted: systemd unquotes command lines
 * but takes {@code WorkingDirectory=} and {@code EnvironmentFile=} literally, so a quoted working directory is a
 * fatal unit error and a quoted environment file is silently ignored (checked with {@code systemd-analyze verify},
 * systemd 252). Those two are written bare; systemd reads the rest of the line, spaces included.
 *
 * @param execStart the launcher (or binary) the service runs, followed by {@code run --config … --workdir …}
 */
public record SystemdUnit(Path workingDirectory, List<String> execStart, Path config, Path workdir,
    List<Path> environmentFiles) {

  public SystemdUnit {
    execStart = List.copyOf(execStart);
    environmentFiles = List.copyOf(environmentFiles);
  }

  public String render() {
    StringBuilder exec = new StringBuilder();
    for (String part : execStart) exec.append(quote(part)).append(' ');
    exec.append("run --config ").append(quote(config.toString()))
        .append(" --workdir ").append(quote(workdir.toString()));
    StringBuilder out = new StringBuilder()
        .append("[Unit]\n")
        .append("Description=Partyclaw Agent Host\n")
        .append("After=network.target\n")
        .append('\n')
        .append("[Service]\n")
        .append("Type=simple\n")
        .append("WorkingDirectory=").append(bare(workingDirectory)).append('\n')
        .append("ExecStart=").append(exec).append('\n')
        .append("Restart=always\n")
        .append("RestartSec=3\n");
    for (Path env : environmentFiles) out.append("EnvironmentFile=-").append(bare(env)).append('\n');
    return out.append('\n')
        .append("[Install]\n")
        .append("WantedBy=default.target\n")
        .toString();
  }

  /**
   * A command-line argument: double-quoted with backslash and quote escaped, so paths with spaces survive; {@code %}
   * (a unit specifier) and {@code $} (variable expansion) doubled, so they stay literal.
   */
  static String quote(String value) {
    checkOneLine(value);
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("%", "%%").replace("$", "$$") + "\"";
  }

  /** A path setting systemd reads literally to the end of the line: only specifiers need escaping. */
  static String bare(Path path) {
    String value = path.toString();
    checkOneLine(value);
    return value.replace("%", "%%");
  }

  private static void checkOneLine(String value) {
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("a path with a line break cannot be written into a systemd unit: " + value);
    }
  }

  /**
   * {@code partyclaw} unless given; {@code .service} appended when missing. Empty names and names with a path
   * separator are refused: the name becomes a file name under the unit directory.
   */
  public static String serviceName(String given) {
    String name = given == null ? "partyclaw" : given.strip();
    if (name.isEmpty() || name.equals(".service")) {
      throw new IllegalArgumentException("the service name must not be empty");
    }
    if (name.contains("/") || name.contains("\\")) {
      throw new IllegalArgumentException("the service name '" + name + "' must not contain / or \\");
    }
    return name.endsWith(".service") ? name : name + ".service";
  }
}
