package partyclaw.tools.user;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import partyclaw.core.json.Json;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;
import partyclaw.tools.support.WorkspacePaths;

/**
 * {@code user_tell}: send the user a separate message now, mid-turn (tools.md §4.3). Every
 * {@code <attachment>path</attachment>} must name an existing file inside the workspace (stricter than the
 * reference, which accepted any existing absolute path); the tags are rewritten to the resolved absolute
 * path so the channel sends exactly the file that was checked.
 */
public final class UserTellTool implements Tool {
  static final long SEND_TIMEOUT_SECONDS = 30;
  static final Pattern ATTACHMENT = Pattern.compile("<attachment>(.*?)</attachment>", Pattern.DOTALL);

  @Override
  public String name() {
    return "user_tell";
  }

  @Override
  public String description() {
    return "Send a message to the user immediately, while you keep working (progress, a question, an "
        + "intermediate result). Attach workspace files with <attachment>path</attachment> tags. Your final "
        + "answer is delivered automatically; do not repeat it here.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("text", "Message text; may contain <attachment>path</attachment> tags.")
        .required("text")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String text = Args.requireNonEmpty(args, "text");
    String message = resolveAttachments(text, ctx);
    try {
      ctx.tellUser(message).toCompletableFuture().get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new ToolException("the message could not be queued for the user within " + SEND_TIMEOUT_SECONDS
          + " s; try again later");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new ToolException("failed to send the message to the user: " + cause.getMessage());
    }
    ObjectNode out = Json.object();
    out.put("ok", true);
    out.put("sent", true);
    return out;
  }

  private static String resolveAttachments(String text, ToolContext ctx) throws ToolException {
    Matcher m = ATTACHMENT.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String raw = m.group(1).trim();
      if (raw.isEmpty()) throw new ToolException("an <attachment> tag is empty; put a workspace file path inside it");
      Path path = WorkspacePaths.resolve(ctx, raw);
      if (!Files.isRegularFile(path)) {
        throw new ToolException("attachment " + raw + " does not exist (resolved to " + path
            + "); attach an existing file in the workspace");
      }
      m.appendReplacement(out, Matcher.quoteReplacement("<attachment>" + path + "</attachment>"));
    }
    m.appendTail(out);
    return out.toString();
  }
}
