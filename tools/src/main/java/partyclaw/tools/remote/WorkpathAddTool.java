package partyclaw.tools.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import partyclaw.core.json.Json;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/** {@code workpath_add}: register a directory on an SSH host for this conversation (tools.md §4.1). */
public final class WorkpathAddTool implements Tool {
  @Override
  public String name() {
    return "workpath_add";
  }

  @Override
  public String description() {
    return "Register a working directory on a remote SSH host for this conversation (one per host; replaces the "
        + "host's previous entry). Relative paths of tools called with remote=<host> then resolve in it, and its "
        + "AGENTS.md is read now and shown in the system prompt from the next turn on.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("host", "SSH host alias (as in ~/.ssh/config).")
        .string("path", "Directory on the host: absolute, or ~/relative to the remote home.")
        .string("description", "What this directory is for.")
        .required("host", "path", "description")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String host = hostArg(args);
    String path = Args.requireNonEmpty(args, "path");
    String description = Args.requireNonEmpty(args, "description");
    Workpath w = WorkpathStore.of(ctx.workdir(), ctx.conversationId()).put(host, path, description);
    RemoteAgentsMd.Probe agents = RemoteAgentsMd.fetch(ctx.processEnvironment(), host, path);
    ObjectNode out = Json.object();
    out.put("ok", true);
    out.put("host", w.host());
    out.put("path", w.path());
    out.put("description", w.description());
    out.set("agents_md", agents.json());
    out.put("chat_version_rotated", true);
    out.put("note", "Tools called with remote=\"" + host + "\" resolve relative paths in " + path + " from now on; "
        + "the system prompt shows this workpath and its AGENTS.md from the next turn on.");
    return out;
  }

  /** {@code host}: non-empty, an SSH alias, not {@code local}. */
  static String hostArg(JsonNode args) throws ToolException {
    String host = RemoteHosts.check(Args.requireNonEmpty(args, "host"), "host");
    if (host.toLowerCase(Locale.ROOT).equals("local")) {
      throw new ToolException("host must be a remote SSH host alias, not \"local\"");
    }
    return host;
  }
}
