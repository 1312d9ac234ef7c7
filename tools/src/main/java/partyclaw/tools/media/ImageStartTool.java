package partyclaw.tools.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/**
 * {@code image_start} (tools.md §3.5): ask the image helper model (tooling.image or the model's image_tool_model) a
 * question about a workspace image, in the background; waits for the answer unless {@code return_immediate}.
 */
public final class ImageStartTool implements Tool {
  private final MediaTooling media;

  ImageStartTool(MediaTooling media) {
    this.media = media;
  }

  @Override
  public String name() {
    return "image_start";
  }

  @Override
  public String description() {
    return "Ask the image helper model a question about a local image (runs in the background; use image_wait"
        + " for the answer).";
  }

  @Override
  public ObjectNode parameters() {
    return ImageWaiting.schema(Schema.object()
        .string("path", "Image file path (relative to the workspace, or absolute).")
        .string("question", "What to find out from the image.")
        .bool("return_immediate", "Return at once with the image_id instead of waiting for the answer.")
        .required("path", "question").build());
  }

  @Override
  public ToolMode mode() {
    return ToolMode.INTERRUPTIBLE;
  }

  @Override
  public boolean offeredTo(String modelAlias) {
    return media.offers(modelAlias, r -> r.imageHelper() != null);
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String path = Args.requireNonEmpty(args, "path");
    String question = Args.requireNonEmpty(args, "question");
    HelperModel helper = media.helper(media.routing(ctx, name()).imageHelper(), name());
    Path file = MediaArgs.existingFile(ctx, path);
    ImageJobs.Job job = media.jobs.start(media.client, helper, ctx.conversationId(), path, file, question);
    if (Args.optBoolean(args, "return_immediate", false)) return job.snapshot();
    return ImageWaiting.await(job, args, ctx);
  }
}
