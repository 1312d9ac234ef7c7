package partyclaw.core.config;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Shared helpers for the config tests: load text or a test resource against a fixed environment. */
final class ConfigFixtures {
  static final Path BASE_DIR = Path.of("/etc/partyclaw-test");

  private ConfigFixtures() {}

  static PartyclawConfig parse(String json, Map<String, String> env) {
    return ConfigLoader.parse(json, BASE_DIR, Environment.of(env), "test.json");
  }

  static List<ConfigProblem> problems(String json, Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> parse(json, env)).problems();
  }

  static String resource(String name) {
    try (InputStream in = ConfigFixtures.class.getResourceAsStream("/config/" + name)) {
      if (in == null) throw new IllegalStateException("missing test resource /config/" + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The repository root, for the shipped examples under {@code conf/}. */
  static Path repoRoot() {
    String root = System.getProperty("partyclaw.repo.root");
    Path p = root == null ? Path.of("..") : Path.of(root);
    if (!p.resolve("conf").toFile().isDirectory()) p = Path.of("..");
    return p.toAbsolutePath().normalize();
  }

  static List<String> paths(List<ConfigProblem> problems) {
    return problems.stream().map(ConfigProblem::path).toList();
  }
}
