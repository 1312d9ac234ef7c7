package partyclaw.core.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a ClawParty/partyclaw JSON config of any supported version ({@code 0.1} … {@code 0.21}) into the canonical
 * {@link PartyclawConfig}: parse, interpolate {@code ${NAME}} / {@code ${NAME:-default}} from the environment,
 * pick the reader by the exact version string, migrate, apply defaults, validate, and check the needed secrets.
 * Every problem is collected and thrown together in one {@link ConfigException}. Migration happens in memory
 * only: the user's file is never rewritten.
 */
public final class ConfigLoader {
  /** Strict about what the reference's JSON parser rejects too (duplicate keys, trailing garbage). */
  private static final ObjectMapper PARSER = new ObjectMapper(JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private ConfigLoader() {}

  /** Loads {@code file} against the process environment plus the {@code .env} files of the cwd and the config's directory. */
  public static PartyclawConfig load(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    return load(abs, Environment.load(Path.of("").toAbsolutePath(), abs.getParent()));
  }

  public static PartyclawConfig load(Path file, Environment env) {
    Path abs = file.toAbsolutePath().normalize();
    String text;
    try {
      text = Files.readString(abs, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(abs.toString(), List.of(new ConfigProblem(JsonPath.ROOT,
          "cannot read config file " + abs + ": " + reason(e),
          "check that the file exists, is readable by this user and is UTF-8 text")));
    }
    return parse(text, abs.getParent(), env, abs.toString());
  }

  /**
   * Loads config text. {@code baseDir} is what relative token-estimation paths resolve against (the config
   * file's directory); {@code source} names the config in the exception.
   */
  public static PartyclawConfig parse(String json, Path baseDir, Environment env, String source) {
    Problems problems = new Problems();
    JsonNode tree = parseJson(json, problems);
    if (tree == null) throw new ConfigException(source, problems.list());
    if (!tree.isObject()) {
      problems.add(JsonPath.ROOT, "expected a JSON object at the top level but got "
          + JsonFields.describe(tree, JsonPath.ROOT, problems, true), "the file must be one object: { \"version\": \""
          + ConfigVersions.LATEST + "\", \"models\": {...}, \"main_agent\": {}, \"channels\": [...] }");
      throw new ConfigException(source, problems.list());
    }
    JsonNode root = EnvInterpolation.apply(tree, env, problems);
    String version = version(root, problems);
    if (version == null) throw new ConfigException(source, problems.list());

    LoadContext ctx = new LoadContext(version, problems, env, baseDir);
    JsonFields fields = JsonFields.of(root, JsonPath.ROOT, problems).orElseThrow();
    PartyclawConfig config = ConfigReader.read(fields, ctx);
    if (!problems.isEmpty()) throw new ConfigException(source, problems.list());
    return config;
  }

  private static JsonNode parseJson(String json, Problems problems) {
    try {
      JsonNode tree = PARSER.readTree(json);
      if (tree == null || tree.isMissingNode()) {
        problems.add(JsonPath.ROOT, "the config file is empty",
            "write a JSON object: { \"version\": \"" + ConfigVersions.LATEST + "\", \"models\": {...}, \"main_agent\": {}, "
                + "\"channels\": [...] }");
        return null;
      }
      return tree;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      problems.add(JsonPath.ROOT, "invalid JSON" + where + ": " + cleanReason(e.getOriginalMessage()),
          "fix the JSON syntax near that position (a missing comma, quote or bracket is the usual cause)");
      return null;
    }
  }

  /** The version string, {@code "0.1"} when absent; null (with a problem) when it cannot be used. */
  private static String version(JsonNode root, Problems problems) {
    JsonNode v = root.get("version");
    String path = JsonPath.child(JsonPath.ROOT, "version");
    if (v == null || v.isNull()) return ConfigVersions.LEGACY;
    if (!v.isTextual()) {
      // The reference silently reads such a file as 0.1, which then fails in confusing ways.
      problems.add(path, "expected a string but got " + JsonFields.describe(v, path, problems, false),
          "write the version in quotes, e.g. \"version\": \"" + ConfigVersions.LATEST + "\"");
      return null;
    }
    String version = v.textValue();
    if (!ConfigVersions.supported(version)) {
      problems.add(path, "unsupported config version '" + version + "'", ConfigVersions.supportedRange());
      return null;
    }
    return version;
  }

  /** Jackson's reason, on one line, without source excerpts that could echo a secret typed without quotes. */
  private static String cleanReason(String message) {
    String m = message == null ? "syntax error" : message.lines().findFirst().orElse("syntax error");
    m = m.replaceAll("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]", "line $1, column $2");
    m = m.replaceAll("Unrecognized token '[^']*'", "Unrecognized token");
    return m.strip();
  }

  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException) return "no such file";
    if (e instanceof AccessDeniedException) return "permission denied";
    if (e instanceof CharacterCodingException) return "not valid UTF-8 text";
    if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) return fse.getReason();
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
