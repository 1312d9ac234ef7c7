package partyclaw.tools.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.config.MediaRouting;
import partyclaw.core.json.Json;
import partyclaw.core.llm.SyntheticMedia;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;
import partyclaw.tools.support.WorkspacePaths;

/**
 * {@code image_load} (tools.md §3.5): attach a workspace image to the context of a model that sees images itself.
 * The image travels as a file reference in the result; it is embedded when the next request is built.
 */
public final class ImageLoadTool implements Tool {
  private final MediaTooling media;

  ImageLoadTool(MediaTooling media) {
    this.media = media;
  }

  @Override
  public String name() {
    return "image_load";
  }

  @Override
  public String description() {
    return "Load a local image into your context so you can look at it yourself.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object().string("path", "Image file path (relative to the workspace, or absolute).")
        .required("path").build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public boolean offeredTo(String modelAlias) {
    return media.offers(modelAlias, MediaRouting::imageNative);
  }

  static final int MAX_PER_BATCH = 3;

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException {
    String path = Args.requireNonEmpty(args, "path");
    if (!media.routing(ctx, name()).imageNative()) {
      throw new ToolException("image_load is not available: the current model does not take images natively;"
          + " use image_start to ask the image helper model instead");
    }
    int position = media.imageLoadPosition(ctx);
    ObjectNode out = Json.object();
    if (position > MAX_PER_BATCH) {
      // tools.md §3.5: the 4th and later image_load of one batch attach nothing
      out.put("error", "too many image_load calls in one tool batch: maximum is " + MAX_PER_BATCH
          + "; load the remaining images in a later step");
      out.put("tool", name()).put("failed", true).put("max_per_tool_batch", MAX_PER_BATCH)
          .put("position_in_batch", position);
      return out;
    }
    out.put("loaded", true).put("kind", SyntheticMedia.KIND);
    out.putArray("media").addObject().put("type", "input_image")
        .put("path", WorkspacePaths.resolve(ctx, path).toString());
    out.put("path", path);
    return out;
  }
}
