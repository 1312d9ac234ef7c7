package partyclaw.tools.remote;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import partyclaw.core.json.Json;
import partyclaw.core.tool.ToolException;

/**
 * A workpath's {@code AGENTS.md}, read over ssh for the system prompt and for workpath_add (tools.md §4.1): at most
 * 20,000 bytes, a 5 s connect timeout.
 */
public final class RemoteAgentsMd {
  public static final int MAX_BYTES = 20_000;
  static final int CONNECT_TIMEOUT_SECONDS = 5;
  static final int MAX_ERROR_CHARS = 1000;
  /** Exit status of the probe when the file is not there (ssh itself uses 255, a missing directory 2 from cd). */
  private static final int NOT_FOUND = 44;

  /** {@code status}: loaded (with content), not_found, or failed (with error). */
  public record Probe(String status, String content, String error) {
    public ObjectNode json() {
      ObjectNode o = Json.object().put("status", status);
      if (content != null) o.put("content", content);
      if (error != null) o.put("error", error);
      return o;
    }
  }

  private RemoteAgentsMd() {}

  public static Probe fetch(Map<String, String> env, String host, String path) throws InterruptedException {
    Ssh.Result r;
    try {
      r = Ssh.run(env, host, path, "if [ -f AGENTS.md ]; then head -c " + (MAX_BYTES + 1) + " AGENTS.md; else exit "
          + NOT_FOUND + "; fi", null, CONNECT_TIMEOUT_SECONDS, Duration.ofSeconds(20));
    } catch (ToolException e) {
      return new Probe("failed", null, cut(e.getMessage()));
    }
    if (r.timedOut()) return new Probe("failed", null, "reading AGENTS.md over ssh took longer than 20 s");
    if (r.exit() == NOT_FOUND) return new Probe("not_found", null, null);
    if (r.exit() != 0) {
      return new Probe("failed", null, cut("ssh to " + host + " exited with " + r.exit() + ": " + r.stderr().strip()));
    }
    byte[] bytes = r.stdout().getBytes(StandardCharsets.UTF_8);
    String content = r.stdout();
    if (bytes.length > MAX_BYTES) {
      content = new String(bytes, 0, MAX_BYTES, StandardCharsets.UTF_8) + "\n[AGENTS.md truncated at " + MAX_BYTES
          + " bytes]";
    }
    return new Probe("loaded", content, null);
  }

  private static String cut(String s) {
    return s.length() <= MAX_ERROR_CHARS ? s : s.substring(0, MAX_ERROR_CHARS) + "…";
  }
}
