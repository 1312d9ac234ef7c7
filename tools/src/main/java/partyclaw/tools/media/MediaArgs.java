package partyclaw.tools.media;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.transcript.ContentPart;
import partyclaw.tools.support.WorkspacePaths;

/** Argument handling the media tools share: a readable file in the workspace, and the {@code images} list. */
final class MediaArgs {
  private MediaArgs() {}

  static Path existingFile(ToolContext ctx, String raw) throws ToolException {
    Path p = WorkspacePaths.resolve(ctx, raw);
    if (!Files.isRegularFile(p)) throw new ToolException("file " + raw + " does not exist (resolved to " + p + ")");
    return p;
  }

  /** {@code images}: workspace image paths, allowed only when the helper accepts images. */
  static List<ContentPart> images(JsonNode args, ToolContext ctx, HelperModel helper, String tool)
      throws ToolException {
    JsonNode images = args.path("images");
    if (images.isMissingNode() || images.isNull()) return List.of();
    if (!images.isArray()) throw new ToolException("images must be an array of workspace paths");
    if (images.isEmpty()) return List.of();
    if (!helper.can("image_in")) {
      throw new ToolException(tool + ": the helper model '" + helper.alias() + "' does not accept images; call it"
          + " without images");
    }
    List<ContentPart> parts = new ArrayList<>();
    for (JsonNode image : images) {
      if (!image.isTextual() || image.asText().isBlank()) throw new ToolException("images must hold file paths");
      parts.add(ContentPart.image(existingFile(ctx, image.asText()).toString()));
    }
    return parts;
  }
}
