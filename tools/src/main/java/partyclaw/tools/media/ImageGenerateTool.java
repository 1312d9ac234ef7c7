package partyclaw.tools.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import partyclaw.core.json.Json;
import partyclaw.core.llm.MediaParts;
import partyclaw.core.llm.SyntheticMedia;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.core.transcript.ContentPart;
import partyclaw.core.util.AtomicFiles;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/**
 * {@code image_generate} (tools.md §3.5): have the image-generation helper ({@code tooling.image_gen}, a Responses API
 * model) draw an image. The image is saved as {@code generated/generated-<uuid>.png} in the workspace, sent to the
 * chat at once, and attached back into the context.
 */
public final class ImageGenerateTool implements Tool {
  static final long SEND_TIMEOUT_SECONDS = 30;

  private final MediaTooling media;

  ImageGenerateTool(MediaTooling media) {
    this.media = media;
  }

  @Override
  public String name() {
    return "image_generate";
  }

  @Override
  public String description() {
    return "Generate an image from a prompt with the image generation model; the image is saved in the workspace"
        + " and sent to the user.";
  }

  @Override
  public ObjectNode parameters() {
    return MediaTooling.withImages(Schema.object()
        .string("prompt", "What the image should show.")
        .required("prompt").build());
  }

  @Override
  public ToolMode mode() {
    return ToolMode.INTERRUPTIBLE;
  }

  @Override
  public boolean offeredTo(String modelAlias) {
    return media.offers(modelAlias, r -> r.imageGenHelper() != null);
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String prompt = Args.requireNonEmpty(args, "prompt");
    HelperModel helper = media.helper(media.routing(ctx, name()).imageGenHelper(), name());
    if (helper.codex()) {
      throw new ToolException("image_generate: model '" + helper.alias() + "' uses codex-subscription auth, which"
          + " image generation cannot use; route tooling.image_gen to an openrouter-resp model with an API key");
    }
    if (!helper.responses()) {
      throw new ToolException("image_generate needs a Responses API model (type openrouter-resp); model '"
          + helper.alias() + "' speaks Chat Completions");
    }
    List<ContentPart> references = MediaArgs.images(args, ctx, helper, name());
    ObjectNode body = Json.object();
    body.put("model", helper.model());
    ObjectNode user = body.putArray("input").addObject();
    user.put("type", "message").put("role", "user");
    ArrayNode content = user.putArray("content");
    content.addObject().put("type", "input_text").put("text", prompt);
    for (ContentPart ref : references) {
      try {
        content.add(MediaParts.encodedPart(ref, Path.of(ref.path()), true));
      } catch (IOException e) {
        throw new ToolException("cannot read " + ref.path() + ": " + e.getMessage());
      }
    }
    body.putArray("tools").addObject().put("type", "image_generation");
    body.put("store", false);
    JsonNode reply = media.client.post(helper, body, ctx.signal(), name());
    if (reply == null) throw new ToolException("operation cancelled");
    String data = null;
    for (JsonNode item : reply.path("output")) {
      if ("image_generation_call".equals(item.path("type").asText()) && item.path("result").isTextual()) {
        data = item.path("result").asText();
        break;
      }
    }
    if (data == null || data.isBlank()) throw new ToolException("image_generate: the model returned no image data");
    byte[] png;
    try {
      png = Base64.getDecoder().decode(data.strip());
    } catch (IllegalArgumentException e) {
      throw new ToolException("image_generate: the model's image data is not valid base64");
    }
    String relative = "generated/generated-" + UUID.randomUUID() + ".png";
    Path file = ctx.workspaceRoot().resolve(relative);
    try {
      Files.createDirectories(file.getParent());
      AtomicFiles.write(file, png);
    } catch (IOException e) {
      throw new ToolException("image_generate: cannot save the image: " + e.getMessage());
    }
    send(ctx, file);
    ObjectNode out = Json.object();
    out.put("prompt", prompt).put("path", relative).put("kind", SyntheticMedia.KIND);
    out.putArray("media").addObject().put("type", "input_image").put("path", file.toString());
    return out;
  }

  /** The image goes to the chat at once, as user_tell would send an attachment. */
  private static void send(ToolContext ctx, Path file) throws ToolException, InterruptedException {
    try {
      ctx.tellUser("<attachment>" + file + "</attachment>").toCompletableFuture()
          .get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new ToolException("image_generate saved the image but could not send it to the user: "
          + (e.getCause() == null ? e : e.getCause()).getMessage());
    }
  }
}
