package partyclaw.tools.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import partyclaw.core.tool.ToolException;

/**
 * Reads tool arguments with the reference's validation messages (tools.md §1.2). A JSON {@code null} counts
 * as absent, the way the reference treats it, so models that send every key with nulls still work.
 */
public final class Args {
  private Args() {}

  /** True if {@code key} is present with a non-null value. */
  public static boolean has(JsonNode args, String key) {
    JsonNode v = args.get(key);
    return v != null && !v.isNull();
  }

  public static String requireString(JsonNode args, String key) throws ToolException {
    return optString(args, key).orElseThrow(() -> new ToolException("missing required argument: " + key));
  }

  /** The first present of {@code key} and its aliases; the error names the documented key. */
  public static String requireString(JsonNode args, String key, String alias) throws ToolException {
    Optional<String> v = optString(args, key);
    if (v.isEmpty()) v = optString(args, alias);
    return v.orElseThrow(() -> new ToolException("missing required argument: " + key));
  }

  public static Optional<String> optString(JsonNode args, String key) throws ToolException {
    if (!has(args, key)) return Optional.empty();
    JsonNode v = args.get(key);
    if (!v.isTextual()) throw new ToolException("argument " + key + " must be a string");
    return Optional.of(v.asText());
  }

  /** Host-tool style (tools.md §1.2): trimmed, and empty is rejected. */
  public static String requireNonEmpty(JsonNode args, String key) throws ToolException {
    JsonNode v = args.get(key);
    if (v == null || v.isNull() || !v.isTextual() || v.asText().trim().isEmpty()) {
      throw new ToolException(key + " must be a non-empty string");
    }
    return v.asText().trim();
  }

  public static boolean optBoolean(JsonNode args, String key, boolean dflt) throws ToolException {
    if (!has(args, key)) return dflt;
    JsonNode v = args.get(key);
    if (!v.isBoolean()) throw new ToolException("argument " + key + " must be a boolean (true or false)");
    return v.asBoolean();
  }

  /** Non-negative JSON integer; negative or fractional values are rejected like the reference's as_u64. */
  public static Optional<Long> optNonNegativeInt(JsonNode args, String key) throws ToolException {
    if (!has(args, key)) return Optional.empty();
    JsonNode v = args.get(key);
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
      throw new ToolException("argument " + key + " must be an integer (a non-negative whole number)");
    }
    return Optional.of(v.asLong());
  }

  public static long optNonNegativeInt(JsonNode args, String key, long dflt) throws ToolException {
    return optNonNegativeInt(args, key).orElse(dflt);
  }

  public static Optional<Double> optNumber(JsonNode args, String key) throws ToolException {
    if (!has(args, key)) return Optional.empty();
    JsonNode v = args.get(key);
    if (!v.isNumber()) throw new ToolException("argument " + key + " must be a number");
    return Optional.of(v.asDouble());
  }

  public static double requireNumber(JsonNode args, String key) throws ToolException {
    return optNumber(args, key).orElseThrow(() -> new ToolException("missing required argument: " + key));
  }

  /** The reference accepts only UTF-8; the key itself is undocumented but tolerated. */
  public static void requireUtf8Encoding(JsonNode args) throws ToolException {
    Optional<String> enc = optString(args, "encoding");
    if (enc.isPresent() && !enc.get().trim().equalsIgnoreCase("utf-8")) {
      throw new ToolException("only utf-8 encoding is supported");
    }
  }
}
