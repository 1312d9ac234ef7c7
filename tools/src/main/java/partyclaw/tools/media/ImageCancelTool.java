package partyclaw.tools.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/** {@code image_cancel} (tools.md §3.5): stop an image_start question. */
public final class ImageCancelTool implements Tool {
  private final MediaTooling media;

  ImageCancelTool(MediaTooling media) {
    this.media = media;
  }

  @Override
  public String name() {
    return "image_cancel";
  }

  @Override
  public String description() {
    return "Cancel an image question started with image_start.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object().string("image_id", "The image_id image_start returned.").required("image_id").build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public boolean offeredTo(String modelAlias) {
    return media.offers(modelAlias, r -> r.imageHelper() != null);
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException {
    ImageJobs.Job job = media.jobs.get(ctx.conversationId(), Args.requireNonEmpty(args, "image_id"));
    job.cancel();
    return job.snapshot();
  }
}
