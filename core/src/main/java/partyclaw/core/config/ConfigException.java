package partyclaw.core.config;

import java.util.List;

/** A config file that cannot be used, with every problem found in it (not just the first). */
public final class ConfigException extends RuntimeException {
  private final String source;
  private final List<ConfigProblem> problems;

  public ConfigException(String source, List<ConfigProblem> problems) {
    super(render(source, problems));
    this.source = source;
    this.problems = List.copyOf(problems);
  }

  /** The file (or other origin) that was loaded. */
  public String source() {
    return source;
  }

  public List<ConfigProblem> problems() {
    return problems;
  }

  private static String render(String source, List<ConfigProblem> problems) {
    StringBuilder sb = new StringBuilder("config ").append(source).append(" has ").append(problems.size())
        .append(problems.size() == 1 ? " problem:" : " problems:");
    for (ConfigProblem p : problems) sb.append("\n  ").append(p);
    return sb.toString();
  }
}
