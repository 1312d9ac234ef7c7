package partyclaw.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The environment variables the config is resolved against: the process environment plus {@code .env} files.
 * Immutable. {@link #toString()} never shows values, because most of the interesting ones are secrets.
 */
public record Environment(Map<String, String> variables) {

  public Environment {
    variables = variables == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(variables));
  }

  public static Environment of(Map<String, String> variables) {
    return new Environment(variables);
  }

  /** The process environment only, no {@code .env} files. */
  public static Environment system() {
    return new Environment(System.getenv());
  }

  /**
   * The process environment, then {@code <cwd>/.env}, then {@code <configDir>/.env}; a variable already set is
   * never overwritten, so the real environment wins over the cwd file, which wins over the config-dir file.
   */
  public static Environment load(Path cwd, Path configDir) {
    return load(System.getenv(), cwd, configDir);
  }

  /** {@link #load(Path, Path)} with an explicit process environment. */
  public static Environment load(Map<String, String> processEnvironment, Path cwd, Path configDir) {
    Map<String, String> vars = new LinkedHashMap<>(processEnvironment);
    for (Path dir : new Path[] {cwd, configDir}) {
      if (dir == null) continue;
      readDotenv(dir.resolve(".env")).forEach(vars::putIfAbsent);
    }
    return new Environment(vars);
  }

  /** The raw value of a variable, if set. */
  public Optional<String> get(String name) {
    return name == null ? Optional.empty() : Optional.ofNullable(variables.get(name));
  }

  /**
   * A secret given as a literal and/or the name of a variable: a literal that is non-blank after trimming wins;
   * otherwise the variable's trimmed value, treated as missing when empty.
   */
  public Optional<String> resolve(String literal, String envName) {
    if (literal != null && !literal.isBlank()) return Optional.of(literal.strip());
    if (envName == null || envName.isBlank()) return Optional.empty();
    String value = variables.get(envName.strip());
    if (value == null || value.isBlank()) return Optional.empty();
    return Optional.of(value.strip());
  }

  @Override
  public String toString() {
    return "Environment[" + variables.size() + " variables]";
  }

  private static Map<String, String> readDotenv(Path file) {
    if (!Files.isRegularFile(file)) return Map.of();
    try {
      return Dotenv.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      // Same as a missing file: the variables it would give are then reported by the config checks that need them.
      return Map.of();
    }
  }
}
