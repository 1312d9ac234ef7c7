package partyclaw.tools.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import partyclaw.core.tool.ToolException;
import partyclaw.tools.support.Args;

/** The {@code headers} argument: an object whose string values are sent (others are ignored, as the reference does). */
public final class RequestHeaders {
  /** Set by the HTTP client itself; java.net.http refuses them. */
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "range", "if-range");

  private RequestHeaders() {}

  public static Map<String, String> parse(JsonNode args) throws ToolException {
    Map<String, String> out = new LinkedHashMap<>();
    if (!Args.has(args, "headers")) return out;
    JsonNode h = args.get("headers");
    if (!h.isObject()) throw new ToolException("argument headers must be an object of header names to string values");
    Iterator<Map.Entry<String, JsonNode>> it = h.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) continue;
      String name = e.getKey().strip();
      if (name.isEmpty() || !name.chars().allMatch(RequestHeaders::isTokenChar)) {
        throw new ToolException("invalid header name '" + name + "'");
      }
      if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
        throw new ToolException("header " + name + " cannot be set; it is managed by the HTTP client");
      }
      String value = e.getValue().asText();
      if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
        throw new ToolException("header " + name + " must not contain line breaks");
      }
      out.put(name, value);
    }
    return out;
  }

  private static boolean isTokenChar(int c) {
    return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
  }
}
