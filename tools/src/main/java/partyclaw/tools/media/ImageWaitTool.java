package partyclaw.tools.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/** {@code image_wait} (tools.md §3.5): wait for the answer of an image_start question. */
public final class ImageWaitTool implements Tool {
  private final MediaTooling media;

  ImageWaitTool(MediaTooling media) {
    this.media = media;
  }

  @Override
  public String name() {
    return "image_wait";
  }

  @Override
  public String description() {
    return "Wait for the answer to an image question started with image_start.";
  }

  @Override
  public ObjectNode parameters() {
    return ImageWaiting.schema(Schema.object().string("image_id", "The image_id image_start returned.")
        .required("image_id").build());
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
    ImageJobs.Job job = media.jobs.get(ctx.conversationId(), Args.requireNonEmpty(args, "image_id"));
    return ImageWaiting.await(job, args, ctx);
  }
}
