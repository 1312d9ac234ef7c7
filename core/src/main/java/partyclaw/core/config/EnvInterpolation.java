package partyclaw.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * partyclaw extension: in every JSON string value (not in keys), {@code ${NAME}} is replaced by the variable's
 * value and {@code ${NAME:-default}} by the value or, when unset or empty, by {@code default}. One pass, so a
 * substituted value is never expanded again. An unset variable without a default is a problem at that path.
 */
final class EnvInterpolation {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Environment env;
  private final Problems problems;

  private EnvInterpolation(Environment env, Problems problems) {
    this.env = env;
    this.problems = problems;
  }

  /** A copy of {@code root} with every string interpolated; the input tree is not changed. */
  static JsonNode apply(JsonNode root, Environment env, Problems problems) {
    JsonNode copy = root.deepCopy();
    EnvInterpolation interpolation = new EnvInterpolation(env, problems);
    return interpolation.walk(copy, JsonPath.ROOT);
  }

  private JsonNode walk(JsonNode node, String path) {
    if (node instanceof ObjectNode o) {
      List<String> keys = new ArrayList<>();
      o.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) o.set(k, walk(o.get(k), JsonPath.child(path, k)));
      return o;
    }
    if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) a.set(i, walk(a.get(i), JsonPath.index(path, i)));
      return a;
    }
    if (node.isTextual() && node.textValue().contains("${")) {
      String template = node.textValue();
      problems.markInterpolated(path, template);
      int before = problems.size();
      String value = substitute(template, path);
      if (problems.size() > before) problems.markUnresolved(path);
      return TextNode.valueOf(value);
    }
    return node;
  }

  private String substitute(String s, String path) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      int start = s.indexOf("${", i);
      if (start < 0) {
        out.append(s, i, s.length());
        break;
      }
      out.append(s, i, start);
      int end = s.indexOf('}', start + 2);
      if (end < 0) {
        problems.add(path, "unterminated environment reference: '${' without a closing '}'",
            "write ${NAME} or ${NAME:-default}");
        out.append(s, start, s.length());
        break;
      }
      String inner = s.substring(start + 2, end);
      int sep = inner.indexOf(":-");
      String name = (sep < 0 ? inner : inner.substring(0, sep)).strip();
      String fallback = sep < 0 ? null : inner.substring(sep + 2);
      if (!NAME.matcher(name).matches()) {
        problems.add(path, "invalid environment reference '${" + (name.length() > 40 ? name.substring(0, 40) + "..." : name)
            + "}': a variable name is letters, digits and '_', not starting with a digit",
            "write ${NAME} or ${NAME:-default}");
        out.append(s, start, end + 1);
      } else {
        String value = env.variables().get(name);
        if (value != null && !(fallback != null && value.isEmpty())) {
          out.append(value);
        } else if (fallback != null) {
          out.append(fallback);
        } else {
          problems.add(path, "environment variable " + name + " is not set (used as ${" + name + "})",
              "set " + name + " in the environment or in a .env file, or give a default: ${" + name + ":-value}");
        }
      }
      i = end + 1;
    }
    return out.toString();
  }
}
