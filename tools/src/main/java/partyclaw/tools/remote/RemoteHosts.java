package partyclaw.tools.remote;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import partyclaw.core.tool.ToolException;
import partyclaw.tools.support.Args;

/** The {@code remote} argument and workpath hosts (tools.md §1.5): an SSH alias, or local. */
public final class RemoteHosts {
  private static final Set<String> PLACEHOLDERS = Set.of("host", "<host>", "<host>|local");
  private static final String METACHARACTERS = "'\"`$;&|<>()/\\";

  private RemoteHosts() {}

  /** The host of a tool's {@code remote} argument; empty for absent, {@code ""} and {@code "local"}. */
  public static Optional<String> target(JsonNode args) throws ToolException {
    Optional<String> remote = Args.optString(args, "remote");
    if (remote.isEmpty()) return Optional.empty();
    String r = remote.get().trim();
    if (r.isEmpty() || r.toLowerCase(Locale.ROOT).equals("local")) return Optional.empty();
    return Optional.of(check(r, "remote"));
  }

  /** {@code host} if it can only be read as an SSH alias (no option, no shell syntax, no path); else the reason. */
  public static String check(String host, String what) throws ToolException {
    String h = host.trim();
    if (h.isEmpty()) throw new ToolException(what + " must be a non-empty string");
    if (PLACEHOLDERS.contains(h.toLowerCase(Locale.ROOT))) {
      throw new ToolException(what + " \"" + h + "\" is a placeholder: use a real SSH host alias, or \"local\"");
    }
    if (h.startsWith("-")) throw new ToolException(what + " must not start with '-': " + h);
    for (int i = 0; i < h.length(); i++) {
      char c = h.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new ToolException(what + " must not contain whitespace or control characters");
      }
      if (METACHARACTERS.indexOf(c) >= 0) {
        throw new ToolException(what + " must be an SSH host alias without shell metacharacters or path separators: "
            + h);
      }
    }
    return h;
  }
}
