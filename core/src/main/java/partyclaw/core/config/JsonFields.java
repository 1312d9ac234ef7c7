package partyclaw.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Typed access to the fields of one JSON object of the config. A field of the wrong type is reported (with its
 * path) and then treated as absent, so its default applies and reading goes on to find further problems.
 * {@code null} counts as absent. Values of secret fields and headers are never quoted in a message.
 */
final class JsonFields {
  static final Set<String> SECRET_KEYS = Set.of(
      "api_key", "bot_token", "client_id", "client_secret", "webhook_url", "app_key", "app_secret", "auth_token");
  private static final Pattern INTEGER_TEXT = Pattern.compile("-?\\d{1,18}");
  private static final Pattern DECIMAL_TEXT = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");

  private final ObjectNode node;
  private final String path;
  private final Problems problems;

  private JsonFields(ObjectNode node, String path, Problems problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  /** The fields of {@code value}, or empty (and a problem) when it is not an object. */
  static Optional<JsonFields> of(JsonNode value, String path, Problems problems) {
    if (value instanceof ObjectNode o) return Optional.of(new JsonFields(o, path, problems));
    problems.add(path, "expected an object but got " + describe(value, path, problems, false), hintFor("object"));
    return Optional.empty();
  }

  String path() {
    return path;
  }

  String path(String key) {
    return JsonPath.child(path, key);
  }

  Problems problems() {
    return problems;
  }

  ObjectNode node() {
    return node;
  }

  boolean has(String key) {
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  JsonNode raw(String key) {
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? null : v;
  }

  Iterable<String> keys() {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  void missing(String key, String hint) {
    problems.add(path(key), "missing field `" + key + "`", hint);
  }

  Optional<String> string(String key) {
    JsonNode v = raw(key);
    if (v == null) return Optional.empty();
    if (v.isTextual()) return Optional.of(v.textValue());
    typeError(key, v, "string");
    return Optional.empty();
  }

  String string(String key, String fallback) {
    return string(key).orElse(fallback);
  }

  /** A string that must be present: when absent, a {@code missing field} problem with {@code hint}. */
  Optional<String> requiredString(String key, String hint) {
    if (!has(key)) {
      missing(key, hint);
      return Optional.empty();
    }
    return string(key);
  }

  Optional<Double> number(String key) {
    JsonNode v = raw(key);
    if (v == null) return Optional.empty();
    if (v.isNumber()) return Optional.of(v.doubleValue());
    JsonNode coerced = interpolatedScalar(key, v);
    if (coerced != null && coerced.isNumber()) return Optional.of(coerced.doubleValue());
    typeError(key, v, "number");
    return Optional.empty();
  }

  double number(String key, double fallback) {
    return number(key).orElse(fallback);
  }

  Optional<Long> integer(String key) {
    JsonNode v = raw(key);
    if (v == null) return Optional.empty();
    if (v.isIntegralNumber() && v.canConvertToLong()) return Optional.of(v.longValue());
    JsonNode coerced = interpolatedScalar(key, v);
    if (coerced != null && coerced.isIntegralNumber() && coerced.canConvertToLong()) return Optional.of(coerced.longValue());
    typeError(key, v, "integer");
    return Optional.empty();
  }

  long integer(String key, long fallback) {
    return integer(key).orElse(fallback);
  }

  int int32(String key, int fallback) {
    JsonNode v = raw(key);
    if (v == null) return fallback;
    JsonNode coerced = interpolatedScalar(key, v);
    if (coerced != null && coerced.isNumber()) v = coerced;
    if (v.isIntegralNumber() && v.canConvertToInt()) return v.intValue();
    if (v.isIntegralNumber()) {
      problems.add(path(key), "expected an integer between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE
          + " but got " + describe(v, path(key), problems, false), "use a smaller number");
      return fallback;
    }
    typeError(key, v, "integer");
    return fallback;
  }

  Optional<Boolean> bool(String key) {
    JsonNode v = raw(key);
    if (v == null) return Optional.empty();
    if (v.isBoolean()) return Optional.of(v.booleanValue());
    JsonNode coerced = interpolatedScalar(key, v);
    if (coerced != null && coerced.isBoolean()) return Optional.of(coerced.booleanValue());
    typeError(key, v, "boolean");
    return Optional.empty();
  }

  boolean bool(String key, boolean fallback) {
    return bool(key).orElse(fallback);
  }

  /** A nested object; empty (with a problem if it is something else) when absent or mistyped. */
  Optional<JsonFields> object(String key) {
    JsonNode v = raw(key);
    if (v == null) return Optional.empty();
    if (v instanceof ObjectNode o) return Optional.of(new JsonFields(o, path(key), problems));
    typeError(key, v, "object");
    return Optional.empty();
  }

  /** The elements of an array field with their paths; empty when absent or mistyped. */
  List<Element> array(String key) {
    JsonNode v = raw(key);
    if (v == null) return List.of();
    if (!v.isArray()) {
      typeError(key, v, "array");
      return List.of();
    }
    List<Element> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) out.add(new Element(v.get(i), JsonPath.index(path(key), i)));
    return out;
  }

  /** An array of strings; each element of another type is reported and skipped. */
  List<String> strings(String key) {
    List<String> out = new ArrayList<>();
    for (Element e : array(key)) {
      if (e.value().isTextual()) out.add(e.value().textValue());
      else e.typeError(problems, "string", false);
    }
    return out;
  }

  /** An object whose values must all be strings, e.g. {@code headers}. Values are treated as secrets. */
  Map<String, String> stringMap(String key) {
    Map<String, String> out = new LinkedHashMap<>();
    object(key).ifPresent(f -> f.node.fields().forEachRemaining(e -> {
      String p = JsonPath.child(f.path, e.getKey());
      if (e.getValue().isTextual()) out.put(e.getKey(), e.getValue().textValue());
      else problems.add(p, "expected a string but got " + describe(e.getValue(), p, problems, true), hintFor("string"));
    }));
    return out;
  }

  /**
   * A string that came from {@code ${…}} interpolation, read as a JSON number or boolean: substitution always
   * yields a string, and {@code "timeout_seconds": "${TIMEOUT:-120}"} should still work. Null if it is neither.
   */
  private JsonNode interpolatedScalar(String key, JsonNode v) {
    if (!v.isTextual() || problems.templateAt(path(key)) == null) return null;
    String text = v.textValue().strip();
    if (text.equals("true") || text.equals("false")) return BooleanNode.valueOf(text.equals("true"));
    if (INTEGER_TEXT.matcher(text).matches()) return LongNode.valueOf(Long.parseLong(text));
    if (DECIMAL_TEXT.matcher(text).matches()) return DoubleNode.valueOf(Double.parseDouble(text));
    return null;
  }

  void typeError(String key, JsonNode value, String expected) {
    String p = path(key);
    problems.add(p, "expected " + article(expected) + " but got " + describe(value, p, problems, SECRET_KEYS.contains(key)),
        hintFor(expected));
  }

  /** An array element with its path. */
  record Element(JsonNode value, String path) {
    void typeError(Problems problems, String expected, boolean secret) {
      problems.add(path, "expected " + article(expected) + " but got " + describe(value, path, problems, secret),
          hintFor(expected));
    }
  }

  static String describe(JsonNode v, String path, Problems problems, boolean secret) {
    if (v == null || v.isNull() || v.isMissingNode()) return "null";
    if (v.isTextual()) {
      if (secret) return "a string";
      String template = problems.templateAt(path);
      if (template != null) return "string \"" + abbreviate(template) + "\" (after substituting environment variables)";
      return "string \"" + abbreviate(v.textValue()) + "\"";
    }
    if (v.isNumber()) return secret ? "a number" : "number " + abbreviate(v.asText());
    if (v.isBoolean()) return "boolean " + v.booleanValue();
    if (v.isArray()) return "an array";
    if (v.isObject()) return "an object";
    return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  static String article(String type) {
    return switch (type) {
      case "integer", "object", "array" -> "an " + type;
      default -> "a " + type;
    };
  }

  static String hintFor(String expected) {
    return switch (expected) {
      case "number" -> "write a number without quotes, e.g. 120";
      case "integer" -> "write a whole number without quotes, e.g. 5";
      case "boolean" -> "write true or false without quotes";
      case "string" -> "write the value as a string in double quotes";
      case "object" -> "write a JSON object: { \"key\": value, ... }";
      case "array" -> "write a JSON array: [ ... ]";
      default -> "fix the value's type";
    };
  }

  private static String abbreviate(String s) {
    String oneLine = s.replaceAll("\\s+", " ");
    return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "...";
  }
}
