package partyclaw.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import partyclaw.core.json.Json;

/** {@code management.listen_addr}: off when absent, host and port parsed, every bad address a clear problem. */
class ManagementConfigTest {
  private static final Map<String, String> ENV = Map.of("OPENROUTER_API_KEY", "k");

  private static String config(String management) {
    return """
        {"version": "0.21",
         "models": {"main": {"type": "openrouter", "model": "x", "capabilities": ["chat"]}},
         "main_agent": {}, "channels": [{"kind": "command_line", "id": "cli"}]%s}
        """.formatted(management == null ? "" : ", \"management\": " + management);
  }

  @Test
  void absentSectionMeansNoEndpoint() {
    PartyclawConfig cfg = ConfigFixtures.parse(config(null), ENV);
    assertEquals(Optional.empty(), cfg.managementEndpoint());
  }

  @Test
  void hostAndPortAreParsed() {
    assertEquals(new ManagementConfig("127.0.0.1", 8558),
        ConfigFixtures.parse(config("{\"listen_addr\": \"127.0.0.1:8558\"}"), ENV).management());
    assertEquals(new ManagementConfig("::1", 9000),
        ConfigFixtures.parse(config("{\"listen_addr\": \"[::1]:9000\"}"), ENV).management());
    assertEquals(new ManagementConfig("localhost", 0),
        ConfigFixtures.parse(config("{\"listen_addr\": \"localhost:0\"}"), ENV).management());
    assertEquals("[::1]:9000", new ManagementConfig("::1", 9000).listenAddr());
  }

  @Test
  void badAddressesAreOneProblemEachAtTheField() {
    Map<String, String> expected = Map.of(
        "\"127.0.0.1\"", "management.listen_addr '127.0.0.1' has no port",
        "\"127.0.0.1:http\"", "management.listen_addr '127.0.0.1:http': port 'http' is not a number",
        "\"127.0.0.1:70000\"", "management.listen_addr '127.0.0.1:70000': port 70000 is outside 0-65535",
        "\":8558\"", "management.listen_addr ':8558' has no host",
        "\"::1:8558\"", "management.listen_addr '::1:8558': write an IPv6 address in brackets",
        "\"[::1]8558\"", "management.listen_addr '[::1]8558' is not [ipv6]:port");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      List<ConfigProblem> problems = ConfigFixtures.problems(config("{\"listen_addr\": " + e.getKey() + "}"), ENV);
      assertEquals(1, problems.size(), problems.toString());
      assertEquals("$.management.listen_addr", problems.get(0).path());
      assertEquals(e.getValue(), problems.get(0).message());
      assertTrue(problems.get(0).hint().contains("127.0.0.1:8558"), problems.get(0).hint());
    }
  }

  @Test
  void missingAddressUnknownKeysAndWrongTypesAreReported() {
    List<ConfigProblem> missing = ConfigFixtures.problems(config("{\"listen_address\": \"127.0.0.1:1\"}"), ENV);
    assertEquals(List.of("$.management.listen_address", "$.management.listen_addr"), ConfigFixtures.paths(missing));
    assertEquals("unknown field `listen_address` in management", missing.get(0).message());
    assertEquals("missing field `listen_addr`", missing.get(1).message());

    List<ConfigProblem> notObject = ConfigFixtures.problems(config("\"127.0.0.1:8558\""), ENV);
    assertEquals(List.of("$.management"), ConfigFixtures.paths(notObject));
    List<ConfigProblem> notString = ConfigFixtures.problems(config("{\"listen_addr\": 8558}"), ENV);
    assertEquals(List.of("$.management.listen_addr"), ConfigFixtures.paths(notString));
  }

  @Test
  void roundTripsThroughTheSharedMapper() throws Exception {
    PartyclawConfig cfg = ConfigFixtures.parse(config("{\"listen_addr\": \"127.0.0.1:8558\"}"), ENV);
    assertEquals(cfg, Json.MAPPER.readValue(Json.write(cfg), PartyclawConfig.class));
  }
}
