package partyclaw.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import partyclaw.testkit.ChaosReport;
import partyclaw.testkit.FuzzInputs;

/**
 * Mutated configs (the shipped {@code conf/*.json} and the test fixtures, with keys deleted, types changed, random
 * values and broken JSON): loading either succeeds or fails with problems that each print as one line
 * {@code <json path>: <message>}, never another exception, never a stack trace, never a secret's value.
 * {@code -Dchaos.fuzz.configs=N} (default 100), {@code -Dchaos.seed=S}; {@code scripts/chaos fuzz} runs 1,000.
 */
class ConfigFuzzTest {
  private static final Map<String, String> ENV = Map.of(
      "OPENROUTER_API_KEY", "sk-fuzz-secret-openrouter", "TELEGRAM_BOT_TOKEN", "4242:fuzz-secret-telegram",
      "OPENAI_API_KEY", "sk-fuzz-secret-openai", "DINGTALK_CLIENT_SECRET", "fuzz-secret-dingtalk",
      "DINGTALK_APP_SECRET", "fuzz-secret-dingtalk-app", "PARTYCLAW_MODEL", "fuzz/model");
  /** {@code <path>: <message>} where the path is a JSON path from the root. */
  private static final Pattern PROBLEM_LINE = Pattern.compile("^\\$[^\\r\\n]*?: [^\\r\\n]*\\S[^\\r\\n]*$");
  /** What a leaked exception or stack frame looks like inside a message. */
  private static final Pattern STACKISH = Pattern.compile(
      "\\bat [a-z][\\w$]*(\\.[\\w$]+)+\\(|\\b(java|com\\.fasterxml|partyclaw)\\.[\\w.$]*(Exception|Error)\\b|Exception:");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void everyMutatedConfigLoadsOrFailsWithOneClearLinePerProblem() throws IOException {
    long seed = ChaosReport.seed();
    int count = ChaosReport.count("chaos.fuzz.configs", 100);
    ChaosReport report = new ChaosReport("config-fuzz");
    report.line("seed %d, %d mutated configs (reproduce: -Dchaos.seed=%d -Dchaos.fuzz.configs=%d)", seed, count, seed, count);
    List<JsonNode> bases = bases();
    assertTrue(bases.size() >= 4, "the shipped examples and fixtures were found: " + bases.size());

    Random random = new Random(seed);
    Path failed = Path.of("target", "chaos-fuzz", "configs");
    List<String> failures = new ArrayList<>();
    int accepted = 0;
    int rejected = 0;
    int problems = 0;
    long slowestMs = 0;
    for (int i = 0; i < count; i++) {
      FuzzInputs.FuzzConfig fuzz = FuzzInputs.mutateConfig(random, bases.get(random.nextInt(bases.size())));
      String why = null;
      long start = System.nanoTime();
      try {
        ConfigLoader.parse(fuzz.json(), ConfigFixtures.BASE_DIR, Environment.of(ENV), "fuzz-" + i + ".json");
        accepted++;
      } catch (ConfigException e) {
        rejected++;
        problems += e.problems().size();
        if (e.problems().isEmpty()) why = "rejected without naming a problem";
        for (ConfigProblem p : e.problems()) {
          String line = p.toString();
          if (!PROBLEM_LINE.matcher(line).matches()) why = "not one '<json path>: <message>' line: " + line;
          else if (STACKISH.matcher(line).find()) why = "an exception or stack frame in the message: " + line;
          else if (ENV.values().stream().anyMatch(line::contains)) why = "a secret's value in the message: " + line;
        }
      } catch (Throwable t) {
        why = "threw " + t;
      }
      slowestMs = Math.max(slowestMs, (System.nanoTime() - start) / 1_000_000);
      if (why != null) {
        Files.createDirectories(failed);
        Path file = failed.resolve("config-" + i + ".json");
        Files.writeString(file, fuzz.json());
        failures.add("#" + i + " (" + fuzz.mutations() + ", saved as " + file.toAbsolutePath() + "): " + why);
      }
    }
    report.line("configs: %d, accepted: %d, rejected: %d (%d problem lines), bad reports: %d, slowest load: %d ms",
        count, accepted, rejected, problems, failures.size(), slowestMs);
    failures.stream().limit(20).forEach(f -> report.line("FAILED %s", f));
    assertEquals(count, accepted + rejected + failures.size());
    assertEquals(List.of(), failures.stream().limit(20).toList(), "seed " + seed);
  }

  private static List<JsonNode> bases() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (Stream<Path> shipped = Files.list(ConfigFixtures.repoRoot().resolve("conf"))) {
      for (Path f : shipped.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        out.add(MAPPER.readTree(Files.readString(f)));
      }
    }
    for (String fixture : List.of("minimal-telegram-0.21.json", "minimal-dingtalk-0.21.json", "readme-0.14.json",
        "catalog-0.2.json", "catalog-0.5.json", "legacy-0.1.json")) {
      out.add(MAPPER.readTree(ConfigFixtures.resource(fixture)));
    }
    return out;
  }
}
